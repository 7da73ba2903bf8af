// What a closed session leaves to the sessions after it: nothing. A SET ends with the session
// that made it, however it closed. A pooler that hands the closed session's server connection on
// without a reset changes the next client's settings.
// https://www.postgresql.org/docs/current/sql-set.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'session-state/set-not-inherited-after-disconnect',
    category: 'session-state',
    pool: 'single',
    why: "A SET made by a client that closed its connection normally (a short statement_timeout for one job) must not apply to the next client's session.",
    docs: 'https://www.postgresql.org/docs/current/sql-set.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout = '4321s'"),
      { session: 'a', disconnect: 'terminate' },
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
];
