import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'session-state/set-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: 'A SET by one client must not change the next client\'s session (statement_timeout, search_path leak across tenants).',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout = '4321s'"),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
];
