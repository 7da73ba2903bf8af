// A driver's own prepared statements: pgjdbc names a PreparedStatement S_n from its 5th
// execution (prepareThreshold), psycopg names a query _pg3_n from its 6th (prepare_threshold),
// asyncpg names every query it runs (its statement cache), postgres.js names every query a
// tagged template runs. The names are the driver's bookkeeping of one server session: on
// PostgreSQL a connection's statements stay with it and no other connection sees them.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
// https://jdbc.postgresql.org/documentation/server-prepare/
// https://www.psycopg.org/psycopg3/docs/advanced/prepare.html
// https://magicstack.github.io/asyncpg/current/faq.html#why-am-i-getting-prepared-statement-errors
import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

// More executions than any driver's threshold (pgjdbc 5, psycopg 5), so a driver that
// prepares has done so before the step that matters.
const PAST_THRESHOLD = 7;
const QUERY = 'SELECT $1::int AS n';

/** `n` executions of the one parameterised query, each its own (autocommit) transaction. */
const runs = (session: string, n: number, from = 1): StepSpec[] =>
  Array.from({ length: n }, (_, i) => step(session, QUERY, { params: [String(from + i)], expect: { rows: [[String(from + i)]] } }));

export default [
  defineScenario({
    id: 'drivers/statement-cache-after-other-client-used-the-server',
    category: 'drivers',
    pool: 'single',
    why: 'An application instance whose driver prepares its queries must keep working when another instance (same driver, same statement names) ran the same queries on the shared server connection.',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [...runs('a', PAST_THRESHOLD), ...runs('b', PAST_THRESHOLD, 101), ...runs('a', 2, 201)],
  }),

  defineScenario({
    id: 'drivers/statement-cache-on-another-server-connection',
    category: 'drivers',
    pool: 'wide',
    why: 'A driver that prepared a query keeps executing it by name; if a later transaction of the same client ran on a server connection that never saw the statement, every execution fails.',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      ...runs('a', PAST_THRESHOLD),
      // b holds the server connection a used last, so a's next transaction needs another one.
      step('b', 'BEGIN'),
      step('b', 'SELECT 1', { label: 'b holds a transaction open' }),
      step('a', 'BEGIN'),
      step('a', QUERY, { params: ['301'], expect: { rows: [['301']] } }),
      step('a', 'COMMIT'),
      step('b', 'COMMIT'),
    ],
  }),

  defineScenario({
    id: 'drivers/driver-prepares-past-its-threshold',
    category: 'drivers',
    pool: 'wide',
    why: "Checks the driver under test really names statements (so its pooler-safe variant passing the other statement-cache scenarios means something): the session's pg_prepared_statements lists protocol-level statements.",
    docs: 'https://www.postgresql.org/docs/current/view-pg-prepared-statements.html',
    needs: ['driverPrepares'],
    sessions: { a: {} },
    steps: [
      ...runs('a', PAST_THRESHOLD),
      step('a', 'SELECT count(*) > 0 FROM pg_prepared_statements WHERE NOT from_sql', { expect: { rows: [['t']] } }),
    ],
  }),
];
