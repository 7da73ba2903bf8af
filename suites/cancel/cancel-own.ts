// A CancelRequest carrying the key from the client's BackendKeyData interrupts that client's
// running query. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const CANCELING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS';

export default [
  defineScenario({
    id: 'cancel/own-running-query',
    category: 'cancel',
    pool: 'wide',
    why: "A client's cancel (a driver timeout, Ctrl-C in psql) must stop its running query with 57014 and leave the connection usable.",
    docs: CANCELING,
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: true },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
    ],
  }),

  defineScenario({
    id: 'cancel/inside-transaction-aborts-it',
    category: 'cancel',
    pool: 'wide',
    why: 'A query cancelled inside a transaction leaves that transaction aborted (25P02) until ROLLBACK; the client must not silently be elsewhere.',
    docs: CANCELING,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: true },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      step('a', 'SELECT 1', { expect: { error: '25P02' } }),
      step('a', 'ROLLBACK'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
];
