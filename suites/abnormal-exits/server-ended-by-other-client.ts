// pg_terminate_backend sent by one client, through the pool, at another client's backend while
// it runs a query: the busy client gets FATAL 57P01 and a closed connection, the client that
// sent it goes on, and the pool serves the next client. A pooler that takes the server's
// shutdown of one backend for the server going away drops every session.
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/server-ends-busy-session-terminated-by-other-client',
    category: 'abnormal-exits',
    pool: 'wide',
    why: "An application's watchdog that ends a runaway query's session with pg_terminate_backend must end only that session (FATAL 57P01), while its own session and the pool's other clients go on.",
    docs: 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL',
    sessions: { a: {}, b: {}, c: {} },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      // Raw protocol: what a reads up to the close is the behaviour (a driver reports it as a lost connection).
      { session: 'a', messages: [msg.query('SELECT pg_sleep(10) /* {{m}} */')], until: 'close', background: 'q', timeoutMs: 30_000 },
      waitUntilSleeping('m'),
      step('b', 'SELECT pg_terminate_backend({{$apid}})', { label: "b ends a's backend through the pool", expect: { rows: [['t']] } }),
      { session: 'a', await: 'q', expect: { messages: ['RowDescription', 'ErrorResponse:57P01'] } },
      step('b', 'SELECT 2', { label: 'the client that sent it goes on', expect: { rows: [['2']] } }),
      step('c', 'SELECT 3', { label: 'the next client of the pool is served', expect: { rows: [['3']] } }),
    ],
  }),
];
