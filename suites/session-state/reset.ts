import { defineScenario, step } from '../../harness/scenario/define.ts';

// RESET puts a parameter back to its session default; RESET ALL does it for every parameter,
// and both act on the session that runs them only.
const DOCS = 'https://www.postgresql.org/docs/current/sql-reset.html';

export default [
  defineScenario({
    id: 'session-state/reset-then-next-client-sees-default',
    category: 'session-state',
    pool: 'single',
    why: 'After a client SETs and then RESETs a parameter, the next client must see the server default, not a leftover value.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout = '4321s'"),
      step('a', 'RESET statement_timeout'),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/reset-all-by-other-client',
    category: 'session-state',
    pool: 'single',
    why: 'RESET ALL run by one client must not wipe the settings another client made (its statement_timeout silently disappears).',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SET statement_timeout = '4321s'"),
      step('b', 'RESET ALL'),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
    ],
  }),
];
