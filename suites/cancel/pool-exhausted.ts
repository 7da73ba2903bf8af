// A CancelRequest is a connection of its own, answered out of band: it never waits behind the
// queries of other clients. Through a pooler whose every server connection is busy, with other
// clients queued for one, the cancel must still reach the running query at once, and the queued
// client must then get the server and its answer (not the cancel).
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
//
// b queues on the single pool (singleHeld: wait keeps it there in session pooling too); where the
// pooler's console shows its queue (pgbouncer), the scenario goes on only once b is seen waiting,
// so the cancel meets the queue. Direct has no queue: b runs at once.
import { queuedForSingleServer, waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const CANCELING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS';

export default [
  defineScenario({
    id: 'cancel/own-cancel-while-pool-exhausted',
    category: 'cancel',
    pool: 'single',
    singleHeld: 'wait',
    why: "A driver's statement timeout cancels through a new connection; where it waits for a free server connection like a query, the runaway query runs to its end and every queued client waits behind it.",
    docs: CANCELING,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      // Its deadline outlasts the sleep: a cancel that never arrives shows as the query's success.
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q', timeoutMs: 30_000 }),
      waitUntilSleeping('m'),
      // b waits for the server until a leaves (session pooling) or a's query ends: generous.
      step('b', "SELECT 'b ran'", { background: 'qb', timeoutMs: 30_000, label: 'b queues for the one server connection' }),
      ...queuedForSingleServer(1),
      { session: 'a', cancel: true },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
      { session: 'a', disconnect: 'terminate' },
      { session: 'b', await: 'qb', expect: { rows: [['b ran']] } },
    ],
  }),
];
