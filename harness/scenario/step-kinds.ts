// One action per kind of step: what it does, how it reads in transcripts, where it may run and
// what it needs of a driver. The kinds themselves are declared in model.ts (StepKinds); the
// compiler holds this table to them, so a new kind is one member there and one entry here.
import { toResult } from '../drivers/query-result.ts';
import type { Capability, Driver, Notification, QueryResult, Session } from '../drivers/session.ts';
import { DeadlineError, InvalidScenarioError } from '../kernel/errors.ts';
import { poll } from '../kernel/poll.ts';
import { clip } from '../wire/clip.ts';
import { WireConnection } from '../wire/connection.ts';
import type { FrontendMessage, ServerMessage } from '../wire/messages.ts';
import type { Transcript } from '../wire/transcript.ts';
import { show, type StepResult } from './expectations.ts';
import type { StepKind, StepKinds, StepOf } from './model.ts';
import { Mismatched } from './outcome.ts';
import type { Templates } from './templates.ts';
import { runStress, tallyRows } from './stress.ts';
import { manyRolesCount, stressClients, type RunOverrides } from './run-overrides.ts';
import { manyRolesRows, runManyRoles } from './many-roles.ts';
import type { ConnInfo } from '../kernel/conn-info.ts';

/** What a step's action can reach while its scenario runs (runner.ts implements it). */
export interface StepRun {
  readonly driver: Driver;
  readonly templates: Templates;
  readonly saved: ReadonlyMap<string, string>;
  readonly transcript: Transcript;
  /** The step's deadline: its own timeoutMs, else the run's. */
  timeout(st: { readonly timeoutMs?: number }): number;
  /**
   * A simple Query on the observer (straight to the database); `quiet` leaves it out of the
   * transcript (a poll's attempts, whose number depends on timing).
   */
  observe(sql: string, quiet?: 'quiet'): Promise<QueryResult>;
  /** The session by name, if it is connected. */
  connected(name: string): Session | undefined;
  /** Forgets a session that is being closed: a later step on it is an invalid scenario. */
  forget(name: string): Session | undefined;
  /** Waits until the backend `pid` has exited, where that is observable (direct only). */
  backendGone(pid: number | undefined): Promise<void>;
  /** Collects a background step's result (it ran under its own name). */
  collect(name: string): Promise<StepResult>;
  /**
   * The rows of `command` on the admin console of a target that is `pooler`; undefined where
   * there is none to ask. `again`: a repeated ask of a poll, which the transcript does not repeat.
   */
  admin(spec: StepOf<'admin'>['admin'], again?: boolean): Promise<QueryResult | undefined>;
  /** Where the named session would connect: its pool of the lane. */
  poolOf(session: string): ConnInfo;
  /** Where and as whom the named session logs in: its pool, role, password and database. */
  loginOf(session: string): ConnInfo;
  /** What the run sets over the steps as written (--stress-clients, --stress-roles). */
  readonly overrides: RunOverrides | undefined;
}

/** A path into a step of kind K, from one of its kind's own fields: ['waitFor', 'sql']. */
export type KindField<K extends StepKind> = readonly [keyof StepKinds[K] & string, ...string[]];

/**
 * Where a kind's own fields may hold saved values, as its action reads them: `text` is expanded
 * as a template ({{$v}} anywhere inside, every string below the path), `whole` holds a saved value
 * as a whole string ('$v' in an expected cell), `name` names one ('$v' or 'v'). validate.ts checks
 * each reference against the values saved before the step. Declared beside the action that
 * expands them, and required, so a new kind cannot leave one of its fields unchecked.
 */
export interface SavedRefFields<K extends StepKind> {
  readonly text: readonly KindField<K>[];
  readonly whole?: readonly KindField<K>[];
  readonly name?: readonly KindField<K>[];
}

interface Common<K extends StepKind> {
  /** What the step does, in one line, for transcripts and messages (a step's label wins). */
  describe(st: StepOf<K>, t: Templates, run?: RunOverrides): string;
  /** Its fields that may refer to saved values (the common `expect` is validate.ts's). */
  readonly savedRefs: SavedRefFields<K>;
  /** Driver capabilities a client session needs to run it. */
  needs?(st: StepOf<K>): readonly Capability[];
  /** It can run in the background (`background: name`) and be awaited later. */
  readonly background?: true;
  /**
   * Why repro.mjs (repro/replay-script.mjs) does not replay it, where it does not: the script
   * says so and checks nothing of the step. Without it the script must run the kind (a unit test
   * holds the two together).
   */
  readonly notReplayed?: string;
}

/** How a kind runs: on a connected client session (and maybe the observer), on its name only, or on the observer only. */
export type StepKindDef<K extends StepKind> = Common<K> &
  (
    | {
        readonly on: 'session';
        run(st: StepOf<K>, r: StepRun, session: Session): Promise<StepResult>;
        observe?(st: StepOf<K>, r: StepRun): Promise<StepResult>;
      }
    | { readonly on: 'name'; run(st: StepOf<K>, r: StepRun): Promise<StepResult> }
    | { readonly on: 'observer'; observe(st: StepOf<K>, r: StepRun): Promise<StepResult> }
  );

const query = (result: QueryResult, messages?: readonly ServerMessage[]): StepResult => ({ kind: 'query', result, messages });
const done: StepResult = { kind: 'done' };
const notification = (n: Notification | undefined): StepResult => ({ kind: 'notification', notification: n });

/** waitNotification names the channel's template, with or without braces: 'ch' or '{{ch}}'. */
const channelTemplate = (v: string) => (v.includes('{{') ? v : `{{${v}}}`);

/** A key of the same length that is not the session's: every byte changed, as a guess would be. */
const wrongKey = (key: Buffer): Buffer => {
  const wrong = Buffer.from(key.map((b) => b ^ 0x5a));
  wrong[wrong.length - 1] |= 1;
  return wrong;
};

/**
 * A FunctionCall names its function by oid on the wire; a scenario may name it by signature
 * ('lo_creat(integer)'), resolved here on the observer, never on the session being tested.
 */
async function resolveFunctions(messages: readonly FrontendMessage[], r: StepRun): Promise<FrontendMessage[]> {
  return Promise.all(
    messages.map(async (m) => {
      if (m.type !== 'FunctionCall' || typeof m.function === 'number' || /^\d+$/.test(m.function)) return m;
      const cast = m.function.includes('(') ? 'regprocedure' : 'regproc';
      const q = await r.observe(`SELECT '${m.function.replace(/'/g, "''")}'::${cast}::oid`);
      const oid = q.rows[0]?.[0];
      if (q.error || typeof oid !== 'string')
        throw new InvalidScenarioError(`FunctionCall: no function ${m.function} (${q.error?.message ?? 'no oid'})`);
      r.transcript.note('observer', `${m.function} is function ${oid}`);
      return { ...m, function: Number(oid) };
    }),
  );
}

/** A saved value by reference ('$v' or 'v'); validation makes sure it was saved. */
const savedValue = (r: StepRun, ref: string) => r.saved.get(ref.replace(/^\$/, ''));

/** Expected rows as text, each '$v' cell replaced by the value saved as v. */
const wantedRows = (r: StepRun, rows: StepOf<'waitFor'>['waitFor']['rows']) =>
  show(rows.map((row) => row.map((c) => (typeof c === 'string' && /^\$\w+$/.test(c) ? (savedValue(r, c) ?? c) : c))));

/**
 * Asks `ask` until it gives `want` (rows shown as text), up to the step's deadline; at the
 * deadline the step diverges with what was seen last. Undefined from `ask`: nothing to ask.
 */
async function pollRows(
  st: { readonly timeoutMs?: number },
  r: StepRun,
  want: string,
  what: string,
  ask: (n: number) => Promise<QueryResult | undefined>,
): Promise<QueryResult | undefined> {
  let last = '';
  let n = 0;
  try {
    return await poll({ what: want, timeoutMs: r.timeout(st), maxIntervalMs: 15 }, async () => {
      const q = await ask(n++);
      if (!q) return { none: true } as const;
      last = q.error ? `ERROR ${q.error.code}` : show(q.rows);
      return last === want ? { q } : undefined;
    }).then((got) => ('q' in got ? got.q : undefined));
  } catch (err) {
    if (err instanceof DeadlineError) throw new Mismatched('ground-truth', `${what} waited ${r.timeout(st)}ms for ${want}, last saw ${last}`);
    throw err;
  }
}

export const STEP_KINDS: { readonly [K in StepKind]: StepKindDef<K> } = {
  sql: {
    on: 'session',
    background: true,
    savedRefs: { text: [['sql'], ['params']] },
    describe: (st, t) => clip(t.expand(st.sql), 200) + (st.params ? ` ${show(st.params)}` : ''),
    run: async (st, r, s) =>
      query(
        await s.query(
          r.templates.expand(st.sql),
          st.params?.map((p) => r.templates.expand(p)),
          { timeoutMs: r.timeout(st) },
        ),
      ),
    observe: async (st, r) => query(await r.observe(st.sql)),
  },
  named: {
    on: 'session',
    background: true,
    savedRefs: { text: [['named']] },
    needs: () => ['namedPrepare'],
    describe: (st, t) => `execute named "${st.named.name}": ${t.expand(st.named.sql)}`,
    run: async (st, r, s) => {
      const n = r.templates.expandDeep(st.named);
      return query(await s.executeNamed(n.name, n.sql, n.params ?? []));
    },
  },
  messages: {
    on: 'session',
    background: true,
    savedRefs: { text: [['messages']] },
    needs: () => ['protocol'],
    describe: (st) => st.messages.map((m) => m.type).join(', '),
    run: async (st, r, s) => {
      if (!s.exchange) throw new Error(`driver ${r.driver.id} cannot send protocol messages`);
      const sent = await resolveFunctions(r.templates.expandDeep(st.messages), r);
      const messages = await s.exchange(sent, { until: st.until, timeoutMs: r.timeout(st), splitAt: st.splitWrites });
      return query(toResult(messages), messages);
    },
  },
  read: {
    on: 'session',
    savedRefs: { text: [] },
    needs: () => ['protocol'],
    describe: (st) =>
      typeof st.read === 'object'
        ? `read what arrives within ${st.read.forMs}ms`
        : st.read === 'close'
          ? 'read until the server closes the connection'
          : `read up to ${st.read}`,
    run: async (st, r, s) => {
      if (!s.receive) throw new Error(`driver ${r.driver.id} cannot read protocol messages`);
      const messages = await s.receive(st.read, r.timeout(st));
      return query(toResult(messages), messages);
    },
  },
  cancel: {
    on: 'session',
    savedRefs: { text: [], name: [['cancel', 'pid']] },
    needs: (st) => [st.cancel === true ? 'cancel' : 'protocol'],
    describe: (st) =>
      st.cancel === true
        ? 'cancel the running query'
        : `CancelRequest for ${st.cancel.pid} with ${st.cancel.secret} secret${st.cancel.hangUp ? ', its connection closed at once' : ''}`,
    run: async (st, r, s) => {
      if (st.cancel === true) {
        await s.cancel();
        return done;
      }
      const secret = s.secretKey?.();
      if (!s.cancelWith || secret === undefined) throw new Error(`driver ${r.driver.id} cannot send a crafted CancelRequest`);
      await s.cancelWith(Number(savedValue(r, st.cancel.pid)), st.cancel.secret === 'own' ? secret : wrongKey(secret), st.cancel.hangUp ?? false);
      return done;
    },
  },
  connect: {
    on: 'session',
    // The login's messages are what expect.messages compares on a connect step.
    needs: (st) => (st.expect?.messages ? ['protocol'] : []),
    savedRefs: { text: [] },
    describe: () => 'connect',
    run: async (st, _r, s) => {
      const login = st.expect?.messages ? s.loginMessages?.() : undefined;
      // A login that went through is a result without an error, so a step that expects it refused (expect.error) diverges.
      return login ? query(toResult(login), login) : query({ rows: [], columns: [], command: 'logged in' });
    },
  },
  waitNotification: {
    on: 'session',
    savedRefs: { text: [['waitNotification']] },
    needs: () => ['notifications'],
    describe: (st) => `wait for a notification on ${channelTemplate(st.waitNotification)}`,
    run: async (st, r, s) => notification(await s.waitNotification(r.templates.expand(channelTemplate(st.waitNotification)), r.timeout(st))),
  },
  disconnect: {
    on: 'name',
    savedRefs: { text: [] },
    describe: () => 'disconnect',
    run: async (st, r) => {
      const s = r.forget(st.session);
      if (!s) return done;
      const pid = s.backendPid();
      r.transcript.note(st.session, st.disconnect === 'abrupt' ? 'drop the socket without Terminate' : 'close');
      if (st.disconnect === 'abrupt') s.destroy();
      else await s.close();
      await r.backendGone(pid);
      return done;
    },
  },
  abandonLogin: {
    on: 'name',
    savedRefs: { text: [] },
    // poolcheck's own wire client: a driver cannot be stopped halfway through its login.
    needs: () => ['protocol'],
    describe: () => 'start a login, then drop the socket when asked for credentials',
    run: async (st, r) => {
      r.forget(st.session);
      const at = await WireConnection.abandonLogin({
        ...r.loginOf(st.session),
        label: st.session,
        transcript: r.transcript,
        timeoutMs: r.timeout(st),
      });
      if (at === 'ReadyForQuery') r.transcript.note(st.session, 'the server let the client in without asking for credentials');
      return done;
    },
  },
  await: {
    on: 'name',
    // It names a background step, not a saved value.
    savedRefs: { text: [] },
    describe: (st) => `await ${st.await}`,
    run: (st, r) => r.collect(st.await),
  },
  stress: {
    on: 'name',
    notReplayed: "its many clients are logins of poolcheck's own: run it with poolcheck",
    savedRefs: { text: [['stress', 'sequence']] },
    // Its clients speak the protocol themselves: it runs once, with the raw driver.
    needs: () => ['protocol'],
    describe: (st, _t, run) => `${stressClients(st, run)} clients at once, ${st.stress.rounds} rounds each, every one checking its own session state`,
    run: async (st, r) => {
      const clients = stressClients(st, r.overrides);
      const tally = await runStress({
        pool: r.poolOf(st.session),
        clients,
        rounds: st.stress.rounds,
        sequence: r.templates.expand(st.stress.sequence),
        // The step's deadline is for the clients it names; more clients (--stress-clients) get more time in proportion.
        deadlineMs: Math.round(r.timeout(st) * Math.max(1, clients / st.stress.clients)),
      });
      const rows = tallyRows(tally);
      r.transcript.note(
        st.session,
        `stress: ${rows.map((row) => row.join(' ')).join('; ')}${tally.firstTrouble ? `; first trouble: ${tally.firstTrouble}` : ''}`,
      );
      return query({ rows, columns: ['what', 'count', 'more'] });
    },
  },
  manyRoles: {
    on: 'name',
    notReplayed: 'it creates, logs in as and drops many roles of its own: run it with poolcheck',
    savedRefs: { text: [['manyRoles', 'prefix']] },
    // Its logins speak the protocol themselves: it runs once, with the raw driver.
    needs: () => ['protocol'],
    describe: (st, _t, run) => {
      const roles = manyRolesCount(st, run);
      return `${roles} roles log in, each a pool of its own; ${dropped(st, roles)} are dropped, then new logins`;
    },
    run: async (st, r) => {
      const roles = manyRolesCount(st, r.overrides);
      const tally = await runManyRoles({
        pool: r.poolOf(st.session),
        roles,
        drop: dropped(st, roles),
        prefix: r.templates.expand(st.manyRoles.prefix),
        observe: (sql) => r.observe(sql, 'quiet'),
        // The step's deadline is for the roles it names; more (--stress-roles) get more time in proportion.
        deadlineMs: Math.round(r.timeout(st) * Math.max(1, roles / st.manyRoles.roles)),
      });
      const rows = manyRolesRows(tally);
      r.transcript.note(
        st.session,
        `many roles: ${rows.map((row) => row.join(' ')).join('; ')}${tally.firstTrouble ? `; first trouble: ${tally.firstTrouble}` : ''}`,
      );
      return query({ rows, columns: ['what', 'count', 'of'] });
    },
  },
  admin: {
    on: 'observer',
    notReplayed: "it needs the pooler's admin console",
    savedRefs: { text: [['admin', 'command']], whole: [['admin', 'until']] },
    describe: (st, t) => `${st.admin.pooler} admin console: ${t.expand(st.admin.command)}`,
    observe: async (st, r) => {
      const spec = { ...st.admin, command: r.templates.expand(st.admin.command) };
      const rows = st.admin.until
        ? await pollRows(st, r, wantedRows(r, st.admin.until), 'the admin console', (n) => r.admin(spec, n > 0))
        : await r.admin(spec);
      if (rows) return query(rows);
      r.transcript.note(st.session, `no ${st.admin.pooler} admin console on this target: the step checks nothing`);
      return done;
    },
  },
  waitFor: {
    on: 'observer',
    savedRefs: { text: [['waitFor', 'sql']], whole: [['waitFor', 'rows']] },
    describe: (st, t) => `wait until ${t.expand(st.waitFor.sql)} returns ${show(st.waitFor.rows)}`,
    observe: async (st, r) => {
      // How many polls it takes is timing: only the outcome goes to the transcript.
      const want = wantedRows(r, st.waitFor.rows);
      await pollRows(st, r, want, 'observer', () => r.observe(st.waitFor.sql, 'quiet'));
      r.transcript.note('observer', `saw ${want}`);
      return done;
    },
  },
};

/** The definition of a loaded step's kind, typed for that step. */
export const kindOf = <K extends StepKind>(st: StepOf<K>): StepKindDef<K> => STEP_KINDS[st.kind];

/** A manyRoles step's dropped roles, in proportion when the run makes more or fewer roles than written. */
const dropped = (st: StepOf<'manyRoles'>, roles: number): number => Math.max(1, Math.round((st.manyRoles.drop * roles) / st.manyRoles.roles));
