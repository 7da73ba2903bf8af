// The pid in BackendKeyData identifies the backend process serving the session: the same one
// pg_backend_pid() and pg_stat_activity report.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const START_UP = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP';

const lock = "hashtext('{{lk}}')";

export default [
  defineScenario({
    id: 'backend-pid/key-data-pid-is-pg-backend-pid',
    category: 'backend-pid',
    pool: 'wide',
    why: 'The pid a driver reports for its connection must be the server process running its queries, or logs, pg_stat_activity and pg_terminate_backend point at the wrong one.',
    docs: START_UP,
    sessions: { a: {} },
    steps: [step('a', 'SELECT 1', { savePid: 'keypid' }), step('a', 'SELECT pg_backend_pid()', { expect: { equals: '$keypid' } })],
  }),

  defineScenario({
    id: 'backend-pid/key-data-pids-unique-across-clients',
    category: 'backend-pid',
    pool: 'wide',
    why: 'Concurrent connections must hold distinct BackendKeyData pids, or a cancel or a log line meant for one client is attributed to another.',
    docs: START_UP,
    sessions: { a: {}, b: {}, c: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'pa' }),
      step('b', 'SELECT 1', { savePid: 'pb' }),
      step('c', 'SELECT 1', { savePid: 'pc' }),
      observe("SELECT '{{$pb}}'", { label: "b's pid differs from a's", expect: { notEquals: '$pa' } }),
      observe("SELECT '{{$pc}}'", { label: "c's pid differs from a's", expect: { notEquals: '$pa' } }),
      observe("SELECT '{{$pc}}'", { label: "c's pid differs from b's", expect: { notEquals: '$pb' } }),
    ],
  }),

  defineScenario({
    id: 'backend-pid/pg-stat-activity-pid-is-key-data-pid',
    category: 'backend-pid',
    pool: 'wide',
    why: "A DBA who finds a client's query in pg_stat_activity must see the pid that client's driver holds (to correlate logs or cancel it).",
    docs: 'https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW',
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'keypid' }),
      // a's query waits on a lock the observer holds, so it is on the server until released.
      observe(`SELECT pg_advisory_lock(${lock})`),
      step('a', `SELECT pg_advisory_xact_lock(${lock})`, { background: 'blocked', label: "a waits on the observer's advisory lock" }),
      {
        session: 'observer',
        waitFor: {
          sql: `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{{lk}}%' AND pid <> pg_backend_pid()`,
          rows: [['1']],
        },
      },
      observe("SELECT pid FROM pg_stat_activity WHERE query LIKE '%{{lk}}%' AND pid <> pg_backend_pid()", { expect: { rows: [['$keypid']] } }),
      observe(`SELECT pg_advisory_unlock(${lock})`, { expect: { rows: [['t']] } }),
      { session: 'a', await: 'blocked', expect: { rowCount: 1 } },
    ],
  }),
];
