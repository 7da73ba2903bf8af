// Runs one scenario on one started target with one driver, and says what happened: the steps
// in order through the step kinds' actions (step-kinds.ts), each checked against its
// expectation; the outcome of a run that stops early comes from outcome.ts.
import type { ConnInfo } from '../kernel/conn-info.ts';
import { toResult } from '../drivers/query-result.ts';
import type { Driver, QueryResult, Session } from '../drivers/session.ts';
import { POSTGRESQL_ANSWER, type Divergence, type DivergenceKind } from '../kernel/divergence.ts';
import { errorText, InfrastructureError, InvalidScenarioError, isSqlState, LoginRefusedError, ServerError } from '../kernel/errors.ts';
import { poll, withDeadline } from '../kernel/poll.ts';
import { collectingStrays, StrayErrors } from '../kernel/strays.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { CERT_USER, MD5_USER, TRUST_USER } from '../targets/postgres-cluster.ts';
import type { Lane, StartedTarget } from '../targets/started-target.ts';
import { textOf } from '../wire/bytes.ts';
import { protocolNumber } from '../wire/protocol-version.ts';
import { Transcript } from '../wire/transcript.ts';
import { check, forPostgres, summarize, type StepResult } from './expectations.ts';
import { planPools, PremiseWatch, type PoolPlan } from './premise.ts';
import { POOL_KINDS } from '../poolers/pooler-adapter.ts';
import { OBSERVER, type Scenario, type Step, type StepOf } from './model.ts';
import { asMismatch, classify, Diverged, Mismatched, type Ending } from './outcome.ts';
import type { ScenarioRun, StepRecord } from './result.ts';
import { settingsSkipReason, skipReason } from './skip-reason.ts';
import type { StepRun } from './step-kind.ts';
import { kindOf } from './step-kinds.ts';
import type { RunOverrides } from './run-overrides.ts';
import { Templates } from './templates.ts';
import { objectsSkipReason, ScenarioObjects, sessionLogin } from './scenario-objects.ts';

export interface RunContext {
  readonly target: StartedTarget;
  readonly lane: Lane;
  readonly driver: Driver;
  /** Makes object names unique to this run of this scenario. */
  readonly namePrefix: string;
  readonly stepTimeoutMs: number;
  /** What the run sets over the steps as written (--stress-clients, --stress-roles). */
  readonly overrides?: RunOverrides;
  /**
   * Records each step's result in place of checking it (an error is then an answer, not a
   * failure): the fuzzer's first run of a generated program on PostgreSQL, whose answers become
   * the program's expectations (fuzz/program-scenario.ts).
   */
  readonly record?: (index: number, result: StepResult) => void;
}

export async function runScenario(s: Scenario, ctx: RunContext): Promise<ScenarioRun> {
  const plan = planPools(s, ctx.target.shapes);
  const skip =
    skipReason(s, ctx.driver) ??
    settingsSkipReason(s, ctx.target.spec, ctx.target.facts.settings) ??
    (plan.cannot && `cannot run on this target: ${plan.cannot}`) ??
    objectsSkipReason(s, ctx.target.reach, ctx.target.poolerVersion) ??
    (Object.values(s.sessions).some((x) => x.user === 'cert') && !ctx.target.clientCertificate
      ? "the scenario logs in with a client certificate of poolcheck's test CA, which this target's PostgreSQL does not trust (an external target)"
      : undefined);
  if (skip)
    return {
      scenario: s.id,
      category: s.category,
      target: ctx.target.spec.id,
      driver: ctx.driver.id,
      outcome: 'skip',
      message: skip,
      durationMs: 0,
      steps: [],
    };
  const strays = new StrayErrors();
  const result = await collectingStrays(strays, () => runSteps(s, ctx, plan));
  // An error nobody awaited (a driver's, a socket's) while the scenario ran: it cannot be
  // decided, whatever the steps saw.
  const stray = strays.first();
  if (stray)
    return {
      ...result,
      outcome: 'error',
      cause: 'driver',
      divergence: undefined,
      message: `a driver or connection failed outside any step: ${stray}`,
    };
  // A pass whose premise failed tested nothing: the client it was about never met the state.
  return result.premise === 'failed' && result.outcome === 'pass'
    ? { ...result, outcome: 'skip', message: `not exercised: ${result.message}` }
    : result;
}

async function runSteps(s: Scenario, ctx: RunContext, plan: PoolPlan): Promise<ScenarioRun> {
  const base = { scenario: s.id, category: s.category, target: ctx.target.spec.id, driver: ctx.driver.id };
  const started = Date.now();
  const run = new RunningScenario(s, ctx, plan);
  let ending: Ending | undefined;
  try {
    await run.setup();
    for (const [i, st] of s.steps.entries()) await run.step(i, st);
    await run.settleBackground();
  } catch (err) {
    ending = classify(err, ctx.target.failure());
    if (run.failedStep !== undefined && ending.outcome === 'error')
      ending = { ...ending, message: `step ${run.failedStep + 1} (${s.steps[run.failedStep].session}): ${ending.message}` };
  } finally {
    const teardown = await run.finish();
    if (!ending && teardown) ending = { outcome: 'error', cause: 'infrastructure', message: teardown };
  }
  // The transcript first: its labels (pid#1, xid#1, $saved) word the messages too, so the
  // messages of two runs of the same thing compare byte for byte.
  const transcript = run.transcript.render([...run.templates.replacements(), [ctx.namePrefix, '<run>'], ...laneNames(ctx.lane)]);
  const templatedName = templated(ctx.namePrefix);
  const back = (text: string) => run.transcript.normalize(templatedName(text));
  const premise = run.watch.premise;
  return {
    ...base,
    ...(premise ? { premise: premise.premise } : {}),
    outcome: ending?.outcome ?? 'pass',
    ...(ending?.cause ? { cause: ending.cause } : {}),
    failedStep: run.failedStep,
    durationMs: Date.now() - started,
    timings: { quiesceMs: 0, checkMs: 0, connectMs: Math.round(run.connectMs), logins: run.logins.map(tenth) },
    steps: run.records.map((r) => ({ ...r, observed: r.observed && back(r.observed), failure: r.failure && back(r.failure) })),
    message: ending ? back(ending.message) : premise?.reason,
    ...(ending?.divergence
      ? { divergence: { ...ending.divergence, expected: back(ending.divergence.expected), observed: back(ending.divergence.observed) } }
      : {}),
    transcript,
  };
}

type Settled = StepResult | { readonly failed: unknown };

/**
 * The lane's database names as a StartupMessage shows them, by role: which lane ran a scenario
 * is the scheduler's choice, so two runs name different databases.
 */
function laneNames(lane: RunContext['lane']): Array<[string, string]> {
  const names: Array<[string, string]> = [[lane.direct.database, 'lane']];
  for (const kind of POOL_KINDS) if (lane.pools[kind].database !== lane.direct.database) names.push([lane.pools[kind].database, `${kind} pool`]);
  // A StartupMessage's database="..."; pgx's failed-login message ends its connection string with "database=...`".
  return names.flatMap(([db, role]): Array<[string, string]> => [
    [`database="${db}"`, `database="<${role}>"`],
    [`database=${db}\``, `database=<${role}>\``],
  ]);
}

/** A result column holding backend pids (pid, pg_backend_pid, leader_pid...). */
const PID_COLUMN = /(^|_)pid$/i;
/** A result column holding transaction ids (backend_xid, txid_current, txid_current_if_assigned...). */
const XID_COLUMN = /(^|_)xid$|^txid_current/i;

/**
 * The lane database's client backends but poolcheck's own (the observer, and a pooler's lookup
 * of a role's secret as the observer's role): where a scenario's servers show up.
 */
const LANE_BACKENDS =
  "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND usename <> current_user";

const tenth = (ms: number) => Math.round(ms * 10) / 10;

/** Object names written back as their templates, so messages of two runs compare. */
const templated =
  (prefix: string) =>
  (text: string): string =>
    text.replace(new RegExp(`${prefix}_(\\w+)`, 'g'), '{{$1}}');

/** One scenario while it runs: its sessions, saved values and background steps. */
class RunningScenario implements StepRun {
  readonly transcript = new Transcript();
  readonly saved = new Map<string, string>();
  readonly templates: Templates;
  readonly records: StepRecord[] = [];
  private readonly objects: ScenarioObjects;
  failedStep: number | undefined;
  private readonly sessions = new Map<string, Session>();
  private readonly closed = new Set<string>();
  private readonly inflight = new Map<string, Promise<Settled>>();
  /** The session each background step runs on. */
  private readonly inflightOn = new Map<string, string>();
  /** Background steps whose session a later step dropped: nobody waits for their answer, but they end before the scenario does. */
  private readonly abandoned: Promise<Settled>[] = [];
  private readonly wireLevel: boolean;

  /** Background step name -> the kind of step it runs. */
  private readonly inflightKind = new Map<string, Step['kind']>();
  readonly watch: PremiseWatch;

  /** Time spent logging sessions in. */
  connectMs = 0;
  /** Each login that gave a usable session, in ms. */
  readonly logins: number[] = [];

  constructor(
    private readonly s: Scenario,
    private readonly ctx: RunContext,
    private readonly plan: PoolPlan,
  ) {
    this.templates = new Templates(ctx.namePrefix, this.saved);
    this.objects = new ScenarioObjects(s, this.templates, ctx.target.postgresVersion);
    this.wireLevel = ctx.driver.capabilities.has('protocol');
    this.watch = new PremiseWatch(plan, {
      backends: async () =>
        new Set(
          (await ctx.lane.observer.query(LANE_BACKENDS, Transcript.none(), ctx.stepTimeoutMs)).flatMap((m) =>
            m.type === 'DataRow' && m.values[0] ? [Number(m.values[0])] : [],
          ),
        ),
      note: (session, text) => this.transcript.note(session, text),
      pids: (pids) => {
        for (const p of pids) this.transcript.pid(p);
      },
    });
  }

  get driver(): Driver {
    return this.ctx.driver;
  }

  timeout(st: { readonly timeoutMs?: number }): number {
    return st.timeoutMs ?? this.ctx.stepTimeoutMs;
  }

  async observe(sql: string, quiet?: 'quiet'): Promise<QueryResult> {
    const expanded = this.templates.expand(sql);
    try {
      const result = toResult(await this.ctx.lane.observer.query(expanded, quiet ? Transcript.none() : this.transcript, this.ctx.stepTimeoutMs));
      this.pidsOf(result);
      return result;
    } catch (err) {
      // The observer is poolcheck's own direct connection: its failure says nothing about a pooler.
      throw new InfrastructureError(`the observer's connection to the database failed: ${errorText(err)}`);
    }
  }

  connected(name: string): Session | undefined {
    return this.sessions.get(name);
  }

  async admin(spec: StepOf<'admin'>['admin'], again = false): Promise<QueryResult | undefined> {
    const admin = this.ctx.lane.consoles?.[spec.pool ?? this.s.pool];
    const { pooler, mode } = this.ctx.target.spec;
    if (!admin || pooler !== spec.pooler || (spec.modes && !spec.modes.includes(mode ?? ''))) return undefined;
    if (!again)
      this.transcript.note(OBSERVER, `admin console: ${spec.command}${spec.until ? ` (until it gives ${JSON.stringify(spec.until)})` : ''}`);
    // A pooler's pool is a database and a role: the lane pool's rows are those of its role, not
    // of the md5 or trust role a scenario may also have logged in with.
    const pool = spec.pool && this.ctx.lane.pools[spec.pool];
    const records = (await admin.query(spec.command)).filter(
      (row) => !pool || (row.database === pool.database && (!('user' in row) || row.user === pool.user)),
    );
    const columns = spec.columns ?? (records[0] ? Object.keys(records[0]) : []);
    return { columns, rows: records.map((row) => columns.map((c) => row[c] ?? null)) };
  }

  poolOf(session: string): ConnInfo {
    return this.ctx.lane.pools[this.plan.pools.get(session) ?? this.s.sessions[session]?.pool ?? this.s.pool];
  }

  loginOf(session: string): ConnInfo {
    const conn = this.poolOf(session);
    const spec = this.s.sessions[session] ?? {};
    const fixed =
      spec.user === 'md5' ? MD5_USER : spec.user === 'trust' ? TRUST_USER : spec.user === 'cert' ? CERT_USER : spec.user === 'empty' ? '' : conn.user;
    return {
      ...conn,
      ...sessionLogin(spec, this.s, this.templates, { user: fixed, password: conn.password, database: conn.database }),
      ...(spec.ipv6 ? { host: '::1' } : {}),
    };
  }

  get overrides(): RunOverrides | undefined {
    return this.ctx.overrides;
  }

  forget(name: string): Session | undefined {
    const s = this.sessions.get(name);
    this.sessions.delete(name);
    this.closed.add(name);
    // A client that hangs up on its running query never reads the answer (validate.ts lets
    // such a background step go unawaited); the server's side is the observer's to check.
    for (const [bg, on] of this.inflightOn) {
      const p = this.inflight.get(bg);
      if (on !== name || !p) continue;
      this.inflight.delete(bg);
      this.abandoned.push(p);
      this.transcript.settled(name);
      this.transcript.note(name, `background ${bg} abandoned: its session is being closed`);
    }
    return s;
  }

  /**
   * A closed direct session's backend exits asynchronously. Only on direct: a pooler keeps its
   * server connections by design (and may pass their real pids through, as pgpool does).
   */
  async backendGone(pid: number | undefined): Promise<void> {
    if (!pid || this.ctx.target.spec.pooler) return;
    await poll({ what: `backend ${pid} to exit`, timeoutMs: this.ctx.stepTimeoutMs }, async () =>
      (await this.observe(`SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid}`, 'quiet')).rows[0]?.[0] === '0' ? true : undefined,
    ).catch(() => undefined);
  }

  /** Backend pids in a result (a pid column, pg_backend_pid()), so the transcript shows them as pid#N. */
  private pidsOf(r: QueryResult): void {
    r.columns.forEach((c, i) => {
      if (PID_COLUMN.test(c)) for (const row of r.rows) this.transcript.pid(textOf(row[i] ?? null));
      if (XID_COLUMN.test(c)) for (const row of r.rows) this.transcript.xid(textOf(row[i] ?? null));
    });
  }

  async collect(name: string): Promise<StepResult> {
    const r = await this.inflight.get(name);
    this.inflight.delete(name);
    if (!r) throw new InvalidScenarioError(`background step ${name} was not started`);
    const on = this.inflightOn.get(name);
    if (on !== undefined) this.transcript.settled(on);
    const kind = this.inflightKind.get(name);
    if (on !== undefined && kind !== undefined) await this.watch.afterStep(on, kind);
    if ('failed' in r) throw r.failed;
    return r;
  }

  async setup(): Promise<void> {
    for (const oid of await this.objects.create((sql) => this.observe(sql))) this.transcript.oid(oid);
    for (const sql of this.s.setup ?? []) {
      const r = await this.observe(sql);
      if (r.error) throw new InfrastructureError(`setup "${this.templates.expand(sql)}" failed: ${r.error.code} ${r.error.message}`);
    }
  }

  /** Runs step `i`: started in the background, or to its end and checked. */
  async step(i: number, st: Step): Promise<void> {
    const what = st.label ?? kindOf(st).describe(st, this.templates, this.ctx.overrides);
    this.transcript.step(st.session, `step ${i + 1}: ${what}${st.background ? ` (in the background as ${st.background})` : ''}`);
    await this.watch.beforeStep(st);
    if (st.background) {
      this.transcript.background(st.session);
      this.inflight.set(
        st.background,
        this.act(st).catch((failed: unknown) => ({ failed })),
      );
      this.inflightOn.set(st.background, st.session);
      this.inflightKind.set(st.background, st.kind);
      this.records.push({ index: i, session: st.session, action: what, observed: 'started' });
      return;
    }
    const before = this.sessions.get(st.session);
    // Only what arrives during the step counts.
    before?.takeNotices?.();
    before?.takeParameterStatus?.();
    const diverge = (
      kind: DivergenceKind,
      expected: string,
      observed: string,
      sqlstate?: string,
      atLogin?: true,
      said = expected === observed ? expected : `${expected}, got ${observed}`,
    ) => {
      this.failedStep = i;
      const divergence: Divergence = {
        step: i + 1,
        session: st.session,
        kind,
        expected,
        observed,
        ...(sqlstate ? { sqlstate } : {}),
        ...(atLogin ? { atLogin } : {}),
      };
      return new Diverged(divergence, `step ${i + 1} (${st.session}: ${what}): ${said}`);
    };
    let result: StepResult;
    try {
      result = await this.act(st);
    } catch (err) {
      this.failedStep = i;
      this.records.push({ index: i, session: st.session, action: what, observed: errorText(err) });
      await this.watch.afterStep(st.session, st.kind).catch(() => undefined);
      const m = asMismatch(err);
      // What PostgreSQL answered here is the direct result's to say (report/verdict.ts applyBaseline).
      if (m) throw diverge(m.kind, POSTGRESQL_ANSWER, m.message, m.sqlstate, m.atLogin, m.message);
      throw err;
    }
    await this.watch.afterStep(st.session, st.kind);
    if (result.kind === 'query') this.pidsOf(result.result);
    if (result.kind === 'notification') this.transcript.pid(result.notification?.pid);
    const session = this.sessions.get(st.session) ?? before;
    const observed = summarize(result);
    if (!this.wireLevel || st.session === OBSERVER) this.transcript.result(st.session, `=> ${observed}`);
    this.ctx.record?.(i, result);
    const failure = this.ctx.record
      ? undefined
      : check(forPostgres(st.expect, this.ctx.target.postgresVersion), result, this.saved, session, {
          notices: session?.takeNotices?.() ?? [],
          parameterStatuses: session?.takeParameterStatus?.() ?? [],
        });
    this.records.push({ index: i, session: st.session, action: what, observed, failure: failure?.text });
    if (failure) throw diverge(failure.kind, failure.text, observed, failure.sqlstate);
    if (st.save) {
      // Bytes are saved as PostgreSQL prints a bytea, \x and hex digits: {{$v}} goes into SQL text.
      const first = result.kind === 'query' ? result.result.rows[0]?.[0] : undefined;
      const v = first === undefined ? undefined : textOf(first);
      if (v === undefined || v === null) throw diverge('rows', `a value to save as $${st.save}`, observed);
      this.saved.set(st.save, v);
      if (st.save.toLowerCase().includes('pid')) this.transcript.pid(v);
      else this.transcript.saved(st.save, v);
    }
    if (st.savePid) {
      const pid = session?.backendPid();
      if (pid === undefined) throw diverge('messages', `a backend pid to save as $${st.savePid}`, 'the driver holds none');
      this.saved.set(st.savePid, String(pid));
      this.transcript.pid(pid);
    }
  }

  /** A background step never awaited is a bug in the scenario, after its failure if it failed. */
  async settleBackground(): Promise<void> {
    for (const [name, p] of this.inflight) {
      const r = await p;
      if ('failed' in r) throw r.failed;
      throw new InvalidScenarioError(`background step ${name} was never awaited`);
    }
  }

  private async act(st: Step): Promise<StepResult> {
    const def = kindOf(st);
    if (st.session === OBSERVER) {
      if (!('observe' in def) || !def.observe) throw new InvalidScenarioError(`the observer cannot run ${st.kind}`);
      return def.observe(st, this);
    }
    if (def.on === 'observer') throw new InvalidScenarioError(`${st.kind} runs on the observer`);
    if (def.on === 'name') return def.run(st, this);
    const session = await this.session(st.session);
    return 'refused' in session ? session.refused : def.run(st, this, session);
  }

  /** The session, connected on first use; a login the server refuses is that step's result. */
  private async session(name: string): Promise<Session | { refused: StepResult }> {
    const existing = this.sessions.get(name);
    if (existing) return existing;
    if (this.closed.has(name)) throw new InvalidScenarioError(`session ${name} was disconnected earlier in the scenario`);
    const spec = this.s.sessions[name];
    const pool = this.plan.pools.get(name) ?? spec.pool ?? this.s.pool;
    const moved = this.plan.moved.get(name);
    if (moved) this.transcript.note(name, moved);
    const login = this.loginOf(name);
    const password = spec.password === 'wrong' ? ' with a wrong password' : spec.password ? ' with another password' : '';
    const database = spec.database === undefined ? '' : ` to database ${login.database}`;
    this.transcript.note(
      name,
      `connect via ${this.ctx.driver.id} to the ${pool} pool${database} as ${JSON.stringify(login.user)}${password}${spec.tls ? ' over TLS' : ''}${spec.ipv6 ? ' over the IPv6 loopback' : ''}`,
    );
    let session: Session;
    const connecting = performance.now();
    try {
      session = await this.ctx.driver.connect({
        conn: login,
        label: name,
        transcript: this.transcript,
        timeoutMs: this.ctx.stepTimeoutMs,
        applicationName: spec.applicationName,
        tls: spec.tls || spec.user === 'cert',
        ...(spec.user === 'cert' ? { clientCert: this.ctx.target.clientCertificate } : {}),
        startupParams: spec.startupParams,
        protocol: spec.protocol === undefined ? undefined : protocolNumber(spec.protocol),
      });
    } catch (err) {
      // A refused login (wrong password, unknown role) is the server's answer, not a fault.
      if (err instanceof ServerError && isSqlState(err.code))
        return { refused: { kind: 'query', result: { rows: [], columns: [], error: { code: err.code, message: err.message } } } };
      // The same, through a driver that keeps no SQLSTATE of it: the code is unknown (empty).
      if (err instanceof LoginRefusedError)
        return { refused: { kind: 'query', result: { rows: [], columns: [], error: { code: '', message: err.message } } } };
      const m = asMismatch(err);
      // A login to a role or database of the scenario's own that gets no answer is what the
      // pooler does with that role or database (one dropped, renamed or capped under it), not a
      // stall: the infrastructure check's fresh login goes elsewhere and would call it one.
      const own = spec.role !== undefined || spec.database !== undefined;
      throw m ? new Mismatched(m.kind, m.message, m.sqlstate, m.kind === 'no-answer' && own ? undefined : true) : err;
    } finally {
      this.connectMs += performance.now() - connecting;
    }
    this.logins.push(performance.now() - connecting);
    this.sessions.set(name, session);
    this.transcript.pid(session.backendPid());
    return session;
  }

  /**
   * Closes every session (awaited, so no connection of this scenario outlives it: a driver with
   * queued work could take the one-server pool from the next scenario), then runs the teardown.
   * Returns why the teardown failed, if it did.
   */
  async finish(): Promise<string | undefined> {
    this.transcript.endSteps();
    await Promise.all(
      [...this.sessions].map(async ([name, session]) => {
        await withDeadline(session.close(), TIMEOUT_MS.sessionClose, `${name} to close`).catch(() => session.destroy());
      }),
    );
    // In name order: they close at once, and the order they finish in is timing.
    for (const name of [...this.sessions.keys()].sort()) this.transcript.note(name, 'closed at the end of the scenario');
    await Promise.allSettled([...this.inflight.values(), ...this.abandoned]);
    let failed: string | undefined;
    const observe = (sql: string): Promise<QueryResult> =>
      this.observe(sql).catch((e: unknown) => ({ rows: [], columns: [], error: { code: '-', message: errorText(e) } }));
    for (const sql of this.s.teardown ?? []) {
      const r = await observe(sql);
      if (r.error) failed ??= `teardown "${sql}" failed: ${r.error.message}`;
    }
    failed ??= await this.objects.drop(observe);
    await this.ctx.lane.observer.release();
    return failed;
  }
}
