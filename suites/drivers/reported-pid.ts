// The backend pid a driver reports (JDBC getBackendPID, psycopg info.backend_pid = libpq
// PQbackendPID, asyncpg get_server_pid, pg processID) comes from BackendKeyData: on PostgreSQL
// it is the server process running the session's queries.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'drivers/reported-pid-is-pg-backend-pid-on-reused-server',
    category: 'drivers',
    pool: 'single',
    why: "Applications log the driver's backend pid to find their session in pg_stat_activity and server logs; it must be the process that runs their queries, also when another client used the server before.",
    docs: 'https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-SESSION-TABLE',
    sessions: { a: {}, b: {} },
    steps: [
      step('b', 'SELECT 1', { label: 'another client uses the server first' }),
      step('a', 'SELECT 1', { savePid: 'reported' }),
      step('a', 'SELECT pg_backend_pid()', { expect: { equals: '$reported' } }),
    ],
  }),

  defineScenario({
    id: 'drivers/terminate-by-reported-pid-ends-the-session',
    category: 'drivers',
    pool: 'wide',
    why: "An operator or a watchdog ends a stuck client with pg_terminate_backend(the pid its driver reports); that must end this client's session, not nothing (or someone else's).",
    docs: 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL',
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'reported' }),
      // Only this lane's database: a pid that is not a backend here matches no row.
      observe('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = {{$reported}} AND datname = current_database()', {
        expect: { rows: [['t']] },
      }),
      { session: 'observer', waitFor: { sql: 'SELECT count(*) FROM pg_stat_activity WHERE pid = {{$reported}}', rows: [['0']] } },
    ],
  }),
];
