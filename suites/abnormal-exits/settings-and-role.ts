// SET and SET ROLE change the session that runs them, and end with it.
// https://www.postgresql.org/docs/current/sql-set.html
// https://www.postgresql.org/docs/current/sql-set-role.html
// The client drops its socket without Terminate, as a crashed client would.
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-after-set-role',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A client that crashed after SET ROLE must not hand its role to the next client, whose queries would run with the wrong privileges.',
    docs: 'https://www.postgresql.org/docs/current/sql-set-role.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT session_user', { save: 'app' }),
      step('a', 'SET ROLE pc_other'),
      step('a', 'SELECT current_user', { expect: { rows: [['pc_other']] } }),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'SELECT current_user, session_user', { expect: { rows: [['$app', '$app']] } }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-after-set',
    category: 'abnormal-exits',
    pool: 'single',
    why: "A setting made by a client that crashed (a short statement_timeout) must not apply to the next client's queries.",
    docs: 'https://www.postgresql.org/docs/current/sql-set.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout = '4321s'"),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
];
