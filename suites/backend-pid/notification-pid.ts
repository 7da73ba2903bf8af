// NotificationResponse carries the pid of the notifying backend.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
import { defineScenario, EVENTUALLY_MS, step } from '../../harness/scenario/define.ts';

const ASYNC = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC';

export default [
  defineScenario({
    id: 'backend-pid/notification-pid-is-notifiers-backend',
    category: 'backend-pid',
    pool: 'wide',
    why: "A listener tells notifications from other sessions apart from its own by the sender pid; it must be the pid the notifier's pg_backend_pid() reports.",
    docs: ASYNC,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'LISTEN {{ch}}'),
      step('b', "SELECT pg_backend_pid(), pg_notify('{{ch}}', 'from b')", { save: 'bpid' }),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'from b', pidEquals: '$bpid' } } },
    ],
  }),

  defineScenario({
    id: 'backend-pid/self-notification-pid-is-own-backend',
    category: 'backend-pid',
    pool: 'wide',
    why: 'A client recognises its own notifications by comparing the sender pid with its pg_backend_pid(); they must match.',
    docs: ASYNC,
    sessions: { a: {} },
    steps: [
      // One Query message: LISTEN and the notification commit together, in one backend.
      step('a', "LISTEN {{ch}}; SELECT pg_backend_pid(), pg_notify('{{ch}}', 'to self')", { save: 'apid' }),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'to self', pidEquals: '$apid' } } },
    ],
  }),
];
