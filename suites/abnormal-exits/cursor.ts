// A WITH HOLD cursor lasts until it is closed or its session ends.
// https://www.postgresql.org/docs/current/sql-declare.html
// The client drops its socket without Terminate, as a crashed client would.
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-closes-holdable-cursor',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A WITH HOLD cursor of a crashed client must be closed with its session; the next client must not FETCH its rows (34000).',
    docs: 'https://www.postgresql.org/docs/current/sql-declare.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "DECLARE {{c}} CURSOR WITH HOLD FOR SELECT 'from-a'"),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'FETCH 1 FROM {{c}}', { expect: { error: '34000' } }),
    ],
  }),
];
