import { defineScenario, step } from '../../harness/scenario/define.ts';

// DISCARD ALL resets the session that runs it (settings, temporary tables, prepared
// statements, ...) and no other. https://www.postgresql.org/docs/current/sql-discard.html

export default [
  defineScenario({
    id: 'session-state/discard-all-by-other-client',
    category: 'session-state',
    pool: 'single',
    why: "One client's DISCARD ALL (a connection library's cleanup) must not wipe another client's settings, temporary tables and prepared statements.",
    docs: 'https://www.postgresql.org/docs/current/sql-discard.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SET lock_timeout = '1111s'"),
      step('a', 'CREATE TEMP TABLE {{t}} (v int)'),
      step('a', 'PREPARE {{ps}} AS SELECT 8'),
      step('b', 'DISCARD ALL'),
      step('a', 'SHOW lock_timeout', { expect: { rows: [['1111s']] } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'EXECUTE {{ps}}', { expect: { rows: [['8']] } }),
    ],
  }),
];
