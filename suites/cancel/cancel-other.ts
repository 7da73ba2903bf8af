// A CancelRequest reaches only the backend named by its key; another client's query runs on.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
//
// The other client's query waits on an advisory lock the observer holds, so it is still running
// whenever a stray cancel could arrive, and it ends when the observer lets go.
import { releaseObserverLock, waitOnObserverLock, waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const CANCELING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS';

const blockOnLock = (session: string) => waitOnObserverLock(session, 'blocked');
const unblock = (session: string) => releaseObserverLock(session, 'blocked', true);

export default [
  defineScenario({
    id: 'cancel/own-cancel-spares-other-clients-query',
    category: 'cancel',
    pool: 'wide',
    why: "Cancelling one client's query must not also cancel a query another client is running at the same time.",
    docs: CANCELING,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      ...blockOnLock('b'),
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: true },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      ...unblock('b'),
    ],
  }),

  defineScenario({
    id: 'cancel/idle-client-cancel-spares-other-client',
    category: 'cancel',
    pool: 'wide',
    why: "A cancel sent by a client with nothing running (a late timeout) must not cancel another client's query.",
    docs: CANCELING,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'pa' }),
      ...blockOnLock('b'),
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: 'a sends a CancelRequest with its own key while idle' },
      ...unblock('b'),
    ],
  }),

  defineScenario({
    id: 'cancel/stale-cancel-after-server-handed-over',
    category: 'cancel',
    pool: 'single',
    why: "A cancel that a client sends after its query finished must not hit the next client's query on the server connection it used.",
    docs: CANCELING,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'pa', expect: { rows: [['1']] } }),
      ...blockOnLock('b'),
      { session: 'a', cancel: { pid: '$pa', secret: 'own' }, label: 'a sends a CancelRequest with its own key after its query ended' },
      ...unblock('b'),
    ],
  }),
];
