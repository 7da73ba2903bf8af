// A LISTEN registration ends with the session that made it.
// https://www.postgresql.org/docs/current/sql-listen.html
// The client drops its socket without Terminate, as a crashed client would.
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-ends-listen',
    category: 'abnormal-exits',
    pool: 'single',
    why: "A crashed client's LISTEN must end with its session; the next client must not be registered for, nor receive, its notifications.",
    docs: 'https://www.postgresql.org/docs/current/sql-listen.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'LISTEN {{ch}}'),
      { session: 'a', disconnect: 'abrupt' },
      step('b', "SELECT count(*) FROM pg_listening_channels() c WHERE c = '{{ch}}'", { expect: { rows: [['0']] } }),
      step('b', "NOTIFY {{ch}}, 'for-a'"),
      // A listening session gets its own notification before ReadyForQuery: it would be here already.
      { session: 'b', waitNotification: '{{ch}}', timeoutMs: 200, expect: { notification: null } },
    ],
  }),
];
