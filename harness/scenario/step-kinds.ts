// Every kind of step, one entry each, with all poolcheck knows of it (step-kind.ts says what an
// entry declares): the scenario schema, validation, the runner, shard costs and repro.mjs read
// their part from here. The kinds' data types are declared in model.ts (StepKinds); the compiler
// holds this table to them, so a new kind is one member there and one entry here.
import { toResult } from '../drivers/query-result.ts';
import type { Notification, QueryResult } from '../drivers/session.ts';
import { DeadlineError, InvalidScenarioError } from '../kernel/errors.ts';
import { poll } from '../kernel/poll.ts';
import { didYouMean } from '../kernel/schema.ts';
import { POOL_KINDS } from '../poolers/pooler-adapter.ts';
import { clip } from '../wire/clip.ts';
import { WireConnection } from '../wire/connection.ts';
import { MESSAGE_NAMES, type FrontendMessage, type ServerMessage } from '../wire/messages.ts';
import { show, type StepResult } from './expectations.ts';
import { int, name, oneOf, opt, pgText, req, rows, text } from './field-schemas.ts';
import { FRONTEND_MESSAGE } from './message-schema.ts';
import type { StepKind, StepOf } from './model.ts';
import { Mismatched } from './outcome.ts';
import { runStress, tallyRows } from './stress.ts';
import { manyRolesCount, stressClients } from './run-overrides.ts';
import { manyRolesRows, runManyRoles } from './many-roles.ts';
import type { StepKindDef, StepRun } from './step-kind.ts';

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
    fields: { sql: req(text), params: opt({ kind: 'list', of: pgText }) },
    costMs: (st) => {
      const sleep = /pg_sleep\(\s*([\d.]+)\s*\)/.exec(st.sql);
      // A sleep in the foreground is waited out; one in the background is usually cancelled.
      return sleep && !st.background ? Math.min(Number(sleep[1]) * 1000, st.timeoutMs ?? Infinity) : 0;
    },
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
    fields: { named: req({ kind: 'object', fields: { name: req(text), sql: req(text), params: opt({ kind: 'list', of: pgText }) } }) },
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
    fields: {
      messages: req({ kind: 'list', of: FRONTEND_MESSAGE, min: 1 }),
      until: opt(oneOf([...MESSAGE_NAMES, 'close'])),
      splitWrites: opt({ kind: 'list', of: int(1) }),
    },
    check: (st) =>
      st.messages.some((m) => ['Sync', 'Query', 'FunctionCall', 'Terminate'].includes(m.type)) || st.until
        ? []
        : [{ path: ['messages'], message: 'a message list without Sync, Query or FunctionCall needs `until` (the reply to wait for)' }],
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
    fields: {
      read: req({
        kind: 'either',
        describe: `a message to read up to (e.g. ReadyForQuery), close (until the server closes), or { forMs: N }`,
        of: [oneOf([...MESSAGE_NAMES, 'close']), { kind: 'object', fields: { forMs: req(int(1)) } }],
      }),
    },
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
    fields: {
      cancel: req({
        kind: 'either',
        describe: 'true (cancel through the driver), or { pid: $saved, secret: own | wrong, hangUp: true }',
        of: [
          { kind: 'literal', value: true },
          { kind: 'object', fields: { pid: req(text), secret: req(oneOf(['own', 'wrong'])), hangUp: opt({ kind: 'literal', value: true }) } },
        ],
      }),
    },
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
    fields: { connect: req({ kind: 'literal', value: true }) },
    // A login of its own, beside each session's first.
    costMs: (_st, figures) => figures.loginMs,
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
    fields: { waitNotification: req(text) },
    // A wait in which nothing may arrive lasts its whole deadline.
    costMs: (st) => (st.expect?.notification === null ? (st.timeoutMs ?? 0) : 0),
    savedRefs: { text: [['waitNotification']] },
    needs: () => ['notifications'],
    describe: (st) => `wait for a notification on ${channelTemplate(st.waitNotification)}`,
    run: async (st, r, s) => notification(await s.waitNotification(r.templates.expand(channelTemplate(st.waitNotification)), r.timeout(st))),
  },
  disconnect: {
    on: 'name',
    fields: { disconnect: req(oneOf(['terminate', 'abrupt'])) },
    endsSession: true,
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
    fields: { abandonLogin: req({ kind: 'literal', value: true }) },
    endsSession: true,
    checksEndedSession: true,
    check: (st, before) =>
      before.stepped.has(st.session)
        ? [{ path: ['abandonLogin'], message: `abandonLogin must be session ${st.session}'s first step: it is a login given up` }]
        : [],
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
    fields: { await: req(name) },
    checksEndedSession: true,
    check: (st, before) => {
      const owner = before.background.get(st.await);
      if (!owner)
        return [
          { path: ['await'], message: `await "${st.await}" names no earlier background step${didYouMean(st.await, [...before.background.keys()])}` },
        ];
      if (owner.session !== st.session) return [{ path: ['session'], message: `await "${st.await}" must be on session ${owner.session}` }];
      if (before.ended.has(st.session))
        return [
          {
            path: ['await'],
            message: `await "${st.await}" comes after session ${st.session} disconnected: its answer is abandoned then (leave the await out)`,
          },
        ];
      return [];
    },
    // It names a background step, not a saved value.
    savedRefs: { text: [] },
    describe: (st) => `await ${st.await}`,
    run: (st, r) => r.collect(st.await),
  },
  stress: {
    on: 'name',
    fields: { stress: req({ kind: 'object', fields: { clients: req(int(1)), rounds: req(int(1)), sequence: req(text) } }) },
    // Every client logs in and checks its state round after round (a few ms a round, pipelined).
    costMs: (st, figures) => st.stress.clients * (figures.rawLoginMs + st.stress.rounds * 2),
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
    fields: { manyRoles: req({ kind: 'object', fields: { roles: req(int(1)), drop: req(int(1)), prefix: req(text) } }) },
    costMs: (st, figures) => st.manyRoles.roles * figures.rawLoginMs * 1.2,
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
    fields: {
      admin: req({
        kind: 'object',
        fields: {
          pooler: req(text),
          command: req(text),
          pool: opt(oneOf(POOL_KINDS)),
          columns: opt({ kind: 'list', of: text, min: 1 }),
          modes: opt({ kind: 'list', of: text, min: 1 }),
          until: opt(rows),
        },
      }),
    },
    // Direct has no admin console: a value it should give would be missing there.
    check: (st) =>
      st.save || st.savePid
        ? [{ path: [st.save ? 'save' : 'savePid'], message: 'an admin step cannot save a value: on direct (and other targets) it reads nothing' }]
        : [],
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
    fields: { waitFor: req({ kind: 'object', fields: { sql: req(text), rows: req(rows) } }) },
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

/** The step kinds' names, in the order of their entries. */
export const STEP_KIND_NAMES = Object.keys(STEP_KINDS) as StepKind[];

/** The definition of a loaded step's kind, typed for that step. */
export const kindOf = <K extends StepKind>(st: StepOf<K>): StepKindDef<K> => STEP_KINDS[st.kind];

/** A manyRoles step's dropped roles, in proportion when the run makes more or fewer roles than written. */
const dropped = (st: StepOf<'manyRoles'>, roles: number): number => Math.max(1, Math.round((st.manyRoles.drop * roles) / st.manyRoles.roles));
