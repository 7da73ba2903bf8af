// Each CancelRequest interrupts whatever the backend is running when it arrives; once the
// running query has ended, further ones find it waiting for a command and do nothing.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'cancel/repeated-cancels-hit-only-running-query',
    category: 'cancel',
    pool: 'wide',
    why: 'A client that sends several cancels (a retrying timeout, an impatient user) must have its running query cancelled once and its next query run normally.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS',
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'pa', expect: { rows: [['1']] } }),
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: "first CancelRequest with a's own key" },
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: "second CancelRequest with a's own key" },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: 'third CancelRequest, after the query ended' },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
      step('a', 'SELECT 3', { expect: { rows: [['3']] } }),
    ],
  }),
];
