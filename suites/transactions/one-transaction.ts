// The statements between BEGIN and COMMIT form one transaction: one backend, one transaction id,
// and each statement sees the uncommitted work of the earlier ones while other sessions do not.
// https://www.postgresql.org/docs/current/tutorial-transactions.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'transactions/statements-share-one-transaction',
    category: 'transactions',
    pool: 'wide',
    why: "Every statement between BEGIN and COMMIT must run in the same backend and transaction, or a later statement misses the earlier ones' uncommitted rows.",
    docs: 'https://www.postgresql.org/docs/current/tutorial-transactions.html',
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('a', 'SELECT txid_current()', { save: 'axid' }),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('b', 'SELECT count(*) FROM {{t}}', { label: 'another client reads meanwhile: the row is not committed', expect: { rows: [['0']] } }),
      step('a', 'SELECT pg_backend_pid(), txid_current(), count(*) FROM {{t}}', { expect: { rows: [['$apid', '$axid', '1']] } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'COMMIT'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
];
