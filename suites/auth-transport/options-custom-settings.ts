// Custom (dotted) settings given with -c in the startup options, as Odyssey's pgoptions test
// passes spqrguard.* ones: PostgreSQL accepts any name with a dot as a placeholder setting and
// SHOW returns each value. https://www.postgresql.org/docs/current/runtime-config-custom.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/options-custom-dotted-settings',
    category: 'auth-transport',
    pool: 'wide',
    why: "An extension's or application's own settings passed with -c in options (a guard switched on for the session) must be the session's, each readable with SHOW; a pooler that keeps only the settings it knows, or mis-splits a run of spaces between the -c switches, drops them and the guard is silently off.",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-custom.html',
    sessions: { a: { startupParams: { options: '-c pc_guard.prevent_distributed_modify=on  -c pc_guard.prevent_reference_modify=off' } } },
    steps: [
      step('a', 'SHOW pc_guard.prevent_distributed_modify', { expect: { rows: [['on']] } }),
      step('a', 'SHOW pc_guard.prevent_reference_modify', { expect: { rows: [['off']] } }),
    ],
  }),
];
