// A client's cancels reach only its own query, also while another client waits for the server
// connection that query holds: the first cancel ends the query, and the ones that follow (a
// driver's retrying timeout) arrive when the server may already run the waiting client's query.
// On PostgreSQL each client has its own backend, so those later cancels hit nothing.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { queuedForSingleServer, waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'cancel/cancels-spare-the-queued-client',
    category: 'cancel',
    pool: 'single',
    singleHeld: 'wait',
    why: "A client that cancels its query several times while another client waits for the same server connection must cancel only its own query; a cancel passed on after the server changed hands aborts the other client's work.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'pa', expect: { rows: [['1']] } }),
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q', timeoutMs: 30_000 }),
      waitUntilSleeping('m'),
      // b's own query lasts long enough that the cancels after a's query ended can meet it where
      // the pooler hands b the server as soon as a's query ends (transaction pooling).
      step('b', "SELECT 'b ran' FROM pg_sleep(1)", { background: 'qb', timeoutMs: 30_000, label: 'b queues for the one server connection' }),
      ...queuedForSingleServer(1),
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: "a's first CancelRequest" },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: "a's second CancelRequest, after its query ended" },
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: "a's third CancelRequest" },
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: "a's fourth CancelRequest" },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
      // In session pooling b gets the server only now.
      { session: 'a', disconnect: 'terminate' },
      { session: 'b', await: 'qb', expect: { rows: [['b ran']] } },
    ],
  }),
];
