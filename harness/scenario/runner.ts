// Runs one scenario on one started target with one driver, and says what happened.
import type { Driver, Session } from '../drivers/session.ts';
import { toResult } from '../drivers/raw.ts';
import type { ScenarioRun, StepRecord } from '../report/result.ts';
import type { Lane, StartedTarget } from '../targets/started-target.ts';
import { DeadlineError, withDeadline } from '../wire/errors.ts';
import { clip } from '../wire/messages.ts';
import { Transcript } from '../wire/transcript.ts';
import { MD5_USER, TRUST_USER } from '../targets/postgres-cluster.ts';
import { skipReason } from './skip-reason.ts';
import { check, show, summarize, type StepResult } from './expectations.ts';
import { actionOf, OBSERVER, type Scenario, type Step } from './model.ts';
import { Templates } from './templates.ts';
import { validateScenario } from './validate.ts';

export interface RunContext {
  readonly target: StartedTarget;
  readonly lane: Lane;
  readonly driver: Driver;
  /** Makes object names unique to this run of this scenario. */
  readonly namePrefix: string;
  readonly stepTimeoutMs: number;
}

/** A step's expectation did not hold: the scenario diverges here. */
class Divergence extends Error {}

// What a pooler does to a client connection is behaviour (diverge); a deadline or a harness
// fault is not (error).
// libpq says "server closed the connection unexpectedly" / "SSL connection has been closed
// unexpectedly"; JDBC "An I/O error occurred"; Python drivers "connection is closed".
const CONNECTION_LOST = /closed the connection|connection (?:has been |was |is )?closed|connection refused|socket error|ECONNRESET|EPIPE|Connection terminated|CONNECTION_CLOSED|CONNECTION_ENDED|write after end|I\/O error|connection was lost|ConnectionDoesNotExist|terminating connection|not queryable/i;

export async function runScenario(s: Scenario, ctx: RunContext): Promise<ScenarioRun> {
  const started = Date.now();
  const base = { scenario: s.id, category: s.category, target: ctx.target.spec.id, driver: ctx.driver.id };
  const problems = validateScenario(s);
  if (problems.length) {
    return { ...base, outcome: 'error', message: `invalid scenario${s.source ? ` (${s.source})` : ''}: ${problems.join('; ')}`, durationMs: 0, steps: [] };
  }
  const skip = skipReason(s, ctx.driver);
  if (skip) return { ...base, outcome: 'skip', message: skip, durationMs: 0, steps: [] };

  const transcript = new Transcript();
  const saved = new Map<string, string>();
  const templates = new Templates(ctx.namePrefix, saved);
  const sessions = new Map<string, Session>();
  const closed = new Set<string>();
  const inflight = new Map<string, Promise<StepResult | { failed: unknown }>>();
  const records: StepRecord[] = [];
  const timeout = (st?: Step) => st?.timeoutMs ?? ctx.stepTimeoutMs;
  const wireLevel = ctx.driver.capabilities.has('protocol');
  const observerQuery = async (sql: string) => toResult(await ctx.lane.observer.query(templates.expand(sql), transcript, ctx.stepTimeoutMs));

  const session = async (name: string): Promise<Session> => {
    const existing = sessions.get(name);
    if (existing) return existing;
    if (closed.has(name)) throw new Error(`session ${name} was disconnected earlier in the scenario`);
    const spec = s.sessions[name];
    const base = ctx.lane.pools[spec.pool ?? s.pool];
    const user = spec.user === 'md5' ? MD5_USER : spec.user === 'trust' ? TRUST_USER : base.user;
    transcript.note(name, `connect via ${ctx.driver.id} to the ${spec.pool ?? s.pool} pool as ${user}${spec.password ? ' with a wrong password' : ''}${spec.tls ? ' over TLS' : ''}`);
    const sess = await ctx.driver.connect({
      conn: { ...base, user, password: spec.password === 'wrong' ? 'not-the-password' : base.password },
      label: name, transcript, timeoutMs: ctx.stepTimeoutMs,
      applicationName: spec.applicationName, tls: spec.tls, startupParams: spec.startupParams,
    });
    sessions.set(name, sess);
    transcript.pid(sess.backendPid());
    return sess;
  };

  /**
   * The backend serving `pid` has gone: a closed direct session's backend exits
   * asynchronously. Only on direct: a pooler keeps its server connections by design (and may
   * pass their real pids through, as pgpool does), so there is nothing to wait for.
   */
  const waitBackendGone = async (pid: number | undefined) => {
    if (!pid || ctx.target.spec.pooler) return;
    const deadline = Date.now() + ctx.stepTimeoutMs;
    while (Date.now() < deadline) {
      const r = await observerQuery(`SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid}`);
      if (r.rows[0]?.[0] === '0') return;
      await new Promise((res) => setTimeout(res, 10));
    }
  };

  const act = async (st: Step): Promise<StepResult> => {
    const action = actionOf(st);
    if (st.session === OBSERVER) {
      if (action === 'waitFor') {
        const want = show(st.waitFor!.rows.map((r) => r.map((c) => (c && /^\$\w+$/.test(c) ? saved.get(c.slice(1)) ?? c : c))));
        const deadline = Date.now() + timeout(st);
        let last = '';
        while (Date.now() < deadline) {
          const r = await observerQuery(st.waitFor!.sql);
          last = r.error ? `ERROR ${r.error.code}` : show(r.rows);
          if (last === want) return { kind: 'done' };
          await new Promise((res) => setTimeout(res, 15));
        }
        throw new Divergence(`observer waited ${timeout(st)}ms for ${want}, last saw ${last}`);
      }
      return { kind: 'query', result: await observerQuery(st.sql!) };
    }
    if (action === 'await') {
      const r = await inflight.get(st.await!)!;
      inflight.delete(st.await!);
      if ('failed' in r) throw r.failed;
      return r;
    }
    if (action === 'disconnect') {
      const sess = sessions.get(st.session);
      sessions.delete(st.session);
      closed.add(st.session);
      if (!sess) return { kind: 'done' };
      const pid = sess.backendPid();
      transcript.note(st.session, st.disconnect === 'abrupt' ? 'drop the socket without Terminate' : 'close');
      if (st.disconnect === 'abrupt') sess.destroy(); else await sess.close();
      await waitBackendGone(pid);
      return { kind: 'done' };
    }
    let sess: Session;
    try {
      sess = await session(st.session);
    } catch (err) {
      // A refused login (wrong password, unknown role) is the server's answer, not a fault.
      const code = sqlstate(err);
      if (code) return { kind: 'query', result: { rows: [], columns: [], error: { code, message: errorText(err) } } };
      throw err;
    }
    switch (action) {
      case 'connect': return { kind: 'done' };
      case 'sql': return { kind: 'query', result: await sess.query(templates.expand(st.sql!), st.params?.map((p) => templates.expand(p)), { timeoutMs: timeout(st) }) };
      case 'named': {
        const n = templates.expandDeep(st.named!);
        return { kind: 'query', result: await sess.executeNamed(n.name, n.sql, n.params ?? []) };
      }
      case 'messages': {
        const messages = await sess.exchange!(templates.expandDeep(st.messages!), { until: st.until, timeoutMs: timeout(st), splitAt: st.splitWrites });
        return { kind: 'query', result: toResult(messages), messages };
      }
      case 'cancel': {
        if (st.cancel === true) { await sess.cancel(); return { kind: 'done' }; }
        const pid = Number(saved.get(st.cancel!.pid.replace(/^\$/, '')));
        const secret = sess.secretKey!()!;
        await sess.cancelWith!(pid, st.cancel!.secret === 'own' ? secret : (secret ^ 0x5a5a5a5a) | 1);
        return { kind: 'done' };
      }
      case 'waitNotification':
        return { kind: 'notification', notification: await sess.waitNotification(templates.expand(channelTemplate(st.waitNotification!)), timeout(st)) };
      default:
        throw new Error(`unhandled action ${action}`);
    }
  };

  const describe = (st: Step): string => {
    const a = actionOf(st);
    if (st.label) return st.label;
    if (a === 'sql') return clip(templates.expand(st.sql!), 200) + (st.params ? ` ${show(st.params)}` : '');
    if (a === 'named') return `execute named "${st.named!.name}": ${templates.expand(st.named!.sql)}`;
    if (a === 'messages') return st.messages!.map((m) => m.type).join(', ');
    if (a === 'waitFor') return `wait until ${templates.expand(st.waitFor!.sql)} returns ${show(st.waitFor!.rows)}`;
    if (a === 'cancel') return st.cancel === true ? 'cancel the running query' : `CancelRequest for ${st.cancel!.pid} with ${st.cancel!.secret} secret`;
    if (a === 'await') return `await ${st.await}`;
    if (a === 'waitNotification') return `wait for a notification on ${channelTemplate(st.waitNotification!)}`;
    return a;
  };

  let outcome: ScenarioRun['outcome'] = 'pass';
  let message: string | undefined;
  let failedStep: number | undefined;
  try {
    for (const sql of s.setup ?? []) {
      const r = await observerQuery(sql);
      if (r.error) throw new Error(`setup "${templates.expand(sql)}" failed: ${r.error.code} ${r.error.message}`);
    }
    for (const [i, st] of s.steps.entries()) {
      const what = describe(st);
      transcript.note(st.session, `step ${i + 1}: ${what}${st.background ? ` (in the background as ${st.background})` : ''}`);
      const sessBefore = sessions.get(st.session);
      if (st.background) {
        const p = act(st).catch((failed: unknown) => ({ failed }));
        inflight.set(st.background, p);
        records.push({ index: i, session: st.session, action: what, observed: 'started' });
        continue;
      }
      sessions.get(st.session)?.takeNotices?.(); // only the step's own notices count
      let result: StepResult;
      try {
        result = await act(st);
      } catch (err) {
        failedStep = i;
        records.push({ index: i, session: st.session, action: what, observed: errorText(err) });
        if (err instanceof Divergence) throw new Divergence(`step ${i + 1} (${st.session}: ${what}): ${err.message}`);
        throw err;
      }
      const sess = sessions.get(st.session) ?? sessBefore;
      const observed = summarize(result);
      if (!wireLevel || st.session === OBSERVER) transcript.note(st.session, `=> ${observed}`);
      const failure = check(st.expect, result, saved, sess, sess?.takeNotices?.() ?? []);
      records.push({ index: i, session: st.session, action: what, observed, failure });
      if (failure) {
        failedStep = i;
        throw new Divergence(`step ${i + 1} (${st.session}: ${what}): ${failure}, got ${observed}`);
      }
      if (st.save && result.kind === 'query') {
        const v = result.result.rows[0]?.[0];
        if (v === undefined || v === null) throw new Divergence(`step ${i + 1} (${st.session}: ${what}): nothing to save as $${st.save}, got ${observed}`);
        saved.set(st.save, v);
        transcript.pid(st.save.toLowerCase().includes('pid') ? v : undefined);
      }
      if (st.savePid) {
        const pid = sess?.backendPid();
        if (pid === undefined) throw new Divergence(`step ${i + 1}: the driver holds no backend pid to save as $${st.savePid}`);
        saved.set(st.savePid, String(pid));
        transcript.pid(pid);
      }
    }
    for (const [name, p] of inflight) {
      const r = await p;
      if ('failed' in r) throw r.failed;
      throw new Error(`background step ${name} was never awaited`);
    }
  } catch (err) {
    const dead = ctx.target.failure();
    if (err instanceof Divergence) { outcome = 'diverge'; message = err.message; }
    else if (dead) { outcome = 'error'; message = dead; }
    else if (err instanceof DeadlineError) { outcome = 'error'; message = stepPrefix(failedStep, s) + err.message; }
    else if (CONNECTION_LOST.test(errorText(err))) { outcome = 'diverge'; message = stepPrefix(failedStep, s) + errorText(err); }
    else { outcome = 'error'; message = stepPrefix(failedStep, s) + errorText(err); }
  } finally {
    // Closing is awaited so no connection of this scenario outlives it (a driver with queued
    // work could otherwise take the one-server pool from the next scenario).
    await Promise.all([...sessions].map(async ([name, sess]) => {
      await withDeadline(sess.close(), 2000, `${name} to close`).catch(() => sess.destroy());
      transcript.note(name, 'closed at the end of the scenario');
    }));
    await Promise.allSettled([...inflight.values()]);
    for (const sql of s.teardown ?? []) {
      const r = await observerQuery(sql).catch((e: unknown) => ({ error: { code: '-', message: errorText(e) } }));
      if (r.error && outcome === 'pass') { outcome = 'error'; message = `teardown "${sql}" failed: ${r.error.message}`; }
    }
    await ctx.lane.observer.release();
  }
  if (message) message = message.replace(new RegExp(`${ctx.namePrefix}_(\\w+)`, 'g'), '{{$1}}');
  return {
    ...base, outcome, message, failedStep, steps: records, durationMs: Date.now() - started,
    transcript: transcript.render([...templates.replacements(), [ctx.namePrefix, '<run>']]),
  };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sqlstate = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};
const stepPrefix = (i: number | undefined, s: Scenario) => (i === undefined ? '' : `step ${i + 1} (${s.steps[i].session}): `);

/** waitNotification names the channel's template, with or without braces: 'ch' or '{{ch}}'. */
const channelTemplate = (v: string) => (v.includes('{{') ? v : `{{${v}}}`);
