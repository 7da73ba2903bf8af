import { defineScenario, step } from '../../harness/scenario/define.ts';

// statement_timeout aborts any statement of the session that runs longer (57014); set with SET
// it belongs to that session only.
// https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
const DOCS = 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT';

export default [
  defineScenario({
    id: 'parameter-status/statement-timeout-kept-per-client',
    category: 'parameter-status',
    pool: 'single',
    why: 'A short statement_timeout one client sets for itself must not reach another client, whose long reports and migrations would start failing with 57014.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('b', 'SHOW statement_timeout', { save: 'b0' }),
      // Short enough to end the sleep soon, long enough that a's other statements never reach it
      // on a busy machine (200 ms did: a SHOW under load took longer, a false 57014; and a
      // driver that prepares each statement makes two round trips). A 57014 where none was
      // expected is run again before it is a verdict (timing-rule.ts) all the same.
      step('a', "SET statement_timeout = '1s'"),
      step('a', 'SELECT pg_sleep(5)', { expect: { error: '57014' } }),
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      // b does not sleep: its setting is read, not tried.
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$b0']] } }),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['1s']] } }),
    ],
  }),
];
