import { defineScenario, step } from '../../harness/scenario/define.ts';

// A startup parameter is the value RESET returns to (PostgreSQL's "reset value");
// https://www.postgresql.org/docs/current/sql-reset.html
export default [
  defineScenario({
    id: 'parameter-status/application-name-reset-to-startup-value',
    category: 'parameter-status',
    pool: 'single',
    why: 'RESET application_name must return to the name the client connected with, or the session loses its label in pg_stat_activity and logs.',
    docs: 'https://www.postgresql.org/docs/current/sql-reset.html',
    needs: ['startupApplicationName'],
    sessions: { a: { applicationName: 'pc-start-a' } },
    steps: [
      step('a', "SET application_name = 'pc-app-changed'", { expect: { parameterStatus: { application_name: 'pc-app-changed' } } }),
      step('a', 'RESET application_name'),
      step('a', 'SHOW application_name', { expect: { rows: [['pc-start-a']], parameterStatus: { application_name: 'pc-start-a' } } }),
    ],
  }),
];
