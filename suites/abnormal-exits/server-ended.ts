// PostgreSQL ends a session itself: a timeout of the session's own (idle in transaction, idle,
// a whole transaction) or pg_terminate_backend. It sends an ErrorResponse of severity FATAL
// naming why, then closes the connection; the client learns it at once, and its next client on
// the pool (a new connection, on PostgreSQL) is served.
// https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL
//
// A server connection that dies while idle in the pool (killed, or timed out by a setting of its
// role) is the pooler's to notice: a direct client always gets a fresh backend, so the next
// client must get an answer, not the dead server's error.
//
// The infrastructure watch (harness/scenario/infrastructure.ts) reads a divergence with SQLSTATE
// class 57 as a possible fault and checks that a fresh client of the wide pool still gets an
// answer: these scenarios end only single-pool servers and servers of a role of their own, so
// that check meets a healthy pool and the divergence stands as the pooler's.
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';
import type { ScenarioSpec, StepSpec } from '../../harness/scenario/model.ts';

const CLIENT_TIMEOUTS = 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT';
const SIGNAL = 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL';

/** Long enough for a timeout of a few hundred ms to fire on a loaded machine, short enough that a pooler that swallows it is caught quickly. */
const FATAL_WITHIN_MS = 3000;

/** The server ends the session: the FATAL it sent, then the close, with nothing asked. */
const endedWith = (session: string, sqlstate: string, label: string): StepSpec => ({
  session,
  read: 'close',
  timeoutMs: FATAL_WITHIN_MS,
  label,
  expect: { messages: [`ErrorResponse:${sqlstate}`] },
});

/** The next client of the single pool gets an answer, and no transaction of the one before. */
const nextClientServed: StepSpec[] = [
  step('b', 'SELECT 1', { label: 'the next client of the pool is served', expect: { rows: [['1']] } }),
  step('b', 'SELECT txid_current_if_assigned()', { expect: { rows: [[null]] } }),
];

const serverEnded = (id: string, why: string, docs: string, steps: StepSpec[], extra: Partial<ScenarioSpec> = {}): ScenarioSpec =>
  defineScenario({
    id,
    category: 'abnormal-exits',
    pool: 'single',
    why,
    docs,
    sessions: { a: {}, b: {} },
    ...extra,
    // a leaves (its connection is closed already where the server ended it): where the server
    // did not end it, its open transaction must not keep the one server from b.
    steps: [...steps, { session: 'a', disconnect: 'terminate' }, ...nextClientServed],
  });

export default [
  serverEnded(
    'abnormal-exits/server-ends-idle-in-transaction-session',
    'An application that leaves a transaction open past idle_in_transaction_session_timeout must learn that its session ended (FATAL 25P03), not run its next statement outside the lost transaction, and the pool must serve the next client.',
    CLIENT_TIMEOUTS,
    [
      step('a', 'BEGIN'),
      // The timeout counts from here: nothing more is sent before it fires.
      step('a', "SET LOCAL idle_in_transaction_session_timeout = '200ms'"),
      endedWith('a', '25P03', 'a waits inside its transaction; the server ends the session'),
    ],
  ),
  serverEnded(
    'abnormal-exits/server-ends-idle-session',
    'With idle_session_timeout set, an idle client is told its session ended (FATAL 57P05) and reconnects; a pooler that swallows it leaves the client on a session that no longer has its settings.',
    'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-SESSION-TIMEOUT',
    [step('a', "SET idle_session_timeout = '300ms'"), endedWith('a', '57P05', 'a stays idle; the server ends the session')],
  ),
  serverEnded(
    'abnormal-exits/server-ends-session-at-transaction-timeout',
    'transaction_timeout (PostgreSQL 17) ends a session whose transaction lasts too long with FATAL 25P04; the client must be told, and the pool must serve the next client.',
    'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-TRANSACTION-TIMEOUT',
    [
      step('a', 'BEGIN'),
      // Before 17 the setting does not exist: the SET fails and nothing ends the session.
      step('a', "SET LOCAL transaction_timeout = '300ms'", { expect: { postgres: { '<17': { error: '42704' } } } }),
      {
        session: 'a',
        read: { forMs: FATAL_WITHIN_MS },
        label: 'a waits inside its transaction; from 17 the server ends the session',
        expect: { messages: ['ErrorResponse:25P04'], postgres: { '<17': { messages: [] } } },
      },
    ],
  ),
  serverEnded(
    'abnormal-exits/server-ends-terminated-session',
    'An operator ends a session with pg_terminate_backend(pid): its client must get FATAL 57P01 and a closed connection, and the pool must serve the next client.',
    SIGNAL,
    [
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      observe('SELECT pg_terminate_backend({{$apid}})', { expect: { rows: [['t']] } }),
      endedWith('a', '57P01', 'a idles; its backend is ended under it'),
    ],
  ),
  serverEnded(
    'abnormal-exits/server-ends-terminated-session-in-transaction',
    'A transaction whose backend is ended with pg_terminate_backend is gone: the client must get FATAL 57P01 at once, not go on in a new session as if its transaction had never been.',
    SIGNAL,
    [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      observe('SELECT pg_terminate_backend({{$apid}})', { expect: { rows: [['t']] } }),
      endedWith('a', '57P01', "a's backend is ended inside its transaction"),
    ],
  ),

  defineScenario({
    id: 'abnormal-exits/server-killed-while-idle-in-pool',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A pooled server connection ended while idle (pg_terminate_backend, a restart of a replica, a firewall) must not be handed to the next client, which would get 57P01 or a closed connection on its first query.',
    docs: SIGNAL,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      { session: 'a', disconnect: 'terminate' },
      // On PostgreSQL a's backend left with it (or is leaving: the count says nothing of which, so
      // two runs read alike); behind a pooler it waits in the pool.
      observe('SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity WHERE pid = {{$apid}}'),
      {
        session: 'observer',
        waitFor: { sql: 'SELECT count(*) FROM pg_stat_activity WHERE pid = {{$apid}}', rows: [['0']] },
        timeoutMs: EVENTUALLY_MS,
      },
      ...nextClientServed,
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/server-timed-out-while-idle-in-pool',
    category: 'abnormal-exits',
    pool: 'single',
    why: "With idle_session_timeout set for a role (ALTER ROLE ... SET), pooled server connections of that role end while idle; the next client must get a live one, not the dead server's FATAL 57P05.",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-SESSION-TIMEOUT',
    // A role of its own: the timeout is the role's default, which a pooler's reset (RESET ALL)
    // keeps, and it ends no server of the app role.
    roles: { r: {} },
    // Long enough that a client's own login and first query are not cut short on a busy machine.
    setup: ["ALTER ROLE {{r}} SET idle_session_timeout = '2s'"],
    sessions: { a: { role: 'r' }, b: { role: 'r' } },
    steps: [
      step('a', 'SELECT 1'),
      { session: 'a', disconnect: 'terminate' },
      {
        session: 'observer',
        waitFor: { sql: "SELECT count(*) FROM pg_stat_activity WHERE usename = '{{r}}'", rows: [['0']] },
        timeoutMs: 2 * FATAL_WITHIN_MS,
      },
      // b's own server has the role's timeout too: b turns it off with its first statement, so
      // that a slow machine's pause between b's steps does not end b's session as well.
      step('b', 'SET idle_session_timeout = 0', { label: 'the next client of the pool is served' }),
      nextClientServed[1],
    ],
  }),
];
