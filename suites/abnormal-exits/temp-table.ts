// A temporary table is dropped when the session that created it ends.
// https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY
// The client drops its socket without Terminate, as a crashed client would.
import { defineScenario, EVENTUALLY_MS, step } from '../../harness/scenario/define.ts';

const TEMP_COUNT = "SELECT count(*) FROM pg_class WHERE relname = '{{t}}' AND relpersistence = 't'";

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-drops-temp-table',
    category: 'abnormal-exits',
    pool: 'single',
    why: "A crashed client's temporary table must be dropped with its session: the next client must neither read its rows nor collide with its name.",
    docs: 'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (v text)'),
      step('a', "INSERT INTO {{t}} VALUES ('from-a')"),
      { session: 'a', disconnect: 'abrupt' },
      { session: 'observer', waitFor: { sql: TEMP_COUNT, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      step('b', 'SELECT v FROM {{t}}', { expect: { error: '42P01' } }),
      step('b', 'CREATE TEMP TABLE {{t}} (v text)'),
    ],
  }),
];
