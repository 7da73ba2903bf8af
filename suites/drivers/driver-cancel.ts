// The driver's own cancel (JDBC Statement.cancel, libpq PQcancel, psycopg cancel(), pg's and
// postgres.js's cancel) on a query the driver runs as a named statement: the server ends the
// query with 57014 and the statement stays prepared on the connection.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const SLEEP = 'SELECT pg_sleep($1::float8) /* {{m}} */';

export default [
  defineScenario({
    id: 'drivers/cancel-prepared-query-keeps-statement',
    category: 'drivers',
    pool: 'wide',
    why: 'A driver timeout cancels a query it had prepared; the query must end with 57014 and the same prepared query must run again right after.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS',
    sessions: { a: {} },
    steps: [
      // Past every driver's prepare threshold, so the long run below uses the named statement.
      ...Array.from({ length: 7 }, () => step('a', SLEEP, { params: ['0'] })),
      step('a', SLEEP, { params: ['10'], background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: true },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      step('a', SLEEP, { params: ['0'], expect: { rows: [['']] } }),
    ],
  }),
];
