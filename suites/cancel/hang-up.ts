// A CancelRequest has no answer: the server closes the connection once it has handled it. A
// client may close its side as soon as the request is written (tokio-postgres always does), and
// the cancel must still stop the running query; the connection that carried it is nobody's to wait for.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'cancel/cancel-connection-closed-by-client-at-once',
    category: 'cancel',
    pool: 'wide',
    why: 'A client that closes its cancel connection right after writing the CancelRequest must still have its query cancelled (57014), and the pooler must go on serving it and other clients.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'pa', expect: { rows: [['1']] } }),
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: { pid: '$pa', secret: 'own', hangUp: true }, label: "CancelRequest with a's own key, its connection closed at once" },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
      step('b', 'SELECT 3', { expect: { rows: [['3']] } }),
    ],
  }),
];
