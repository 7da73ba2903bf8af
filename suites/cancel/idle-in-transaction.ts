// A cancel that arrives while the backend waits for the client's next command does nothing,
// also when the session is inside a transaction block: the transaction stays open and usable.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'cancel/idle-in-transaction-cancel-ignored',
    category: 'cancel',
    pool: 'wide',
    why: 'A late cancel (a driver timeout firing just after the reply) that arrives while the client is idle in a transaction must not abort that transaction; its work would be lost at COMMIT.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN', { savePid: 'pa' }),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: 'a sends a CancelRequest with its own key while idle in transaction' },
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
      step('a', 'COMMIT'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
];
