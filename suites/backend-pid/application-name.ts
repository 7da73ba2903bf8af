// pg_stat_activity shows, for each backend, the application_name its session currently has:
// the one sent at startup, then whatever the session SETs.
// https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const ACTIVITY = 'SELECT application_name FROM pg_stat_activity WHERE pid = {{$apid}}';

export default [
  defineScenario({
    id: 'backend-pid/pg-stat-activity-application-name-is-clients',
    category: 'backend-pid',
    pool: 'single',
    why: "A DBA finds a client's backend in pg_stat_activity by its application_name; the backend the client runs on must carry the name the client connected with and the one it SETs.",
    docs: 'https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW',
    sessions: { a: { applicationName: 'pc-start-a' } },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      observe(ACTIVITY, { expect: { rows: [['pc-start-a']] } }),
      step('a', "SET application_name = 'pc-set-a'"),
      observe(ACTIVITY, { expect: { rows: [['pc-set-a']] } }),
    ],
  }),
];
