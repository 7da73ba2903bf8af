// Row locks taken with SELECT ... FOR UPDATE are held until the transaction ends.
// https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-ROWS
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'transactions/row-lock-held-until-commit',
    category: 'transactions',
    pool: 'wide',
    why: 'A row locked FOR UPDATE must stay locked against other clients until the locking transaction commits, and be free right after.',
    docs: 'https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-ROWS',
    setup: ['CREATE TABLE {{t}} (x int)', 'INSERT INTO {{t}} VALUES (1)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT x FROM {{t}} FOR UPDATE', { expect: { rows: [['1']] } }),
      step('b', 'SELECT x FROM {{t}} FOR UPDATE NOWAIT', { expect: { error: '55P03' } }),
      step('a', 'COMMIT'),
      step('b', 'SELECT x FROM {{t}} FOR UPDATE NOWAIT', { expect: { rows: [['1']] } }),
    ],
  }),
];
