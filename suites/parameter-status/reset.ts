import { defineScenario, step } from '../../harness/scenario/define.ts';

// RESET, RESET ALL and DISCARD ALL put parameters back to their session reset values: what the
// client sent in its StartupMessage, else the role/database/server default. Every reported
// parameter that changes is sent as ParameterStatus before the next ReadyForQuery.
// https://www.postgresql.org/docs/current/sql-reset.html
const RESET = 'https://www.postgresql.org/docs/current/sql-reset.html';

export default [
  defineScenario({
    id: 'parameter-status/reset-reported',
    category: 'parameter-status',
    pool: 'single',
    why: 'After RESET IntervalStyle the driver must hold the restored style, or it keeps parsing intervals in the format the client just left.',
    docs: RESET,
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW IntervalStyle', { save: 'i0' }),
      step('a', "SET IntervalStyle = 'sql_standard'", { expect: { parameterStatus: { IntervalStyle: 'sql_standard' } } }),
      step('a', 'RESET IntervalStyle', { expect: { parameterStatus: { IntervalStyle: '$i0' } } }),
      step('a', 'SHOW IntervalStyle', { expect: { rows: [['$i0']] } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/reset-all-reported',
    category: 'parameter-status',
    pool: 'single',
    why: 'RESET ALL must restore DateStyle, TimeZone and IntervalStyle and tell the driver each, or it keeps reading dates and times with settings the session dropped.',
    docs: RESET,
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW DateStyle', { save: 'd0' }),
      step('a', 'SHOW TimeZone', { save: 'tz0' }),
      step('a', 'SHOW IntervalStyle', { save: 'i0' }),
      step('a', "SET DateStyle = 'ISO, DMY'"),
      step('a', "SET TimeZone = 'Pacific/Chatham'"),
      step('a', "SET IntervalStyle = 'iso_8601'", {
        expect: { parameterStatus: { DateStyle: 'ISO, DMY', TimeZone: 'Pacific/Chatham', IntervalStyle: 'iso_8601' } },
      }),
      step('a', 'RESET ALL', { expect: { parameterStatus: { DateStyle: '$d0', TimeZone: '$tz0', IntervalStyle: '$i0' } } }),
      step('a', "SELECT current_setting('DateStyle'), current_setting('TimeZone'), current_setting('IntervalStyle')", {
        expect: { rows: [['$d0', '$tz0', '$i0']] },
      }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/reset-all-restores-startup-application-name',
    category: 'parameter-status',
    pool: 'single',
    why: 'RESET ALL must give a client back the application_name it connected with (and report it), or its sessions lose their label in pg_stat_activity and logs.',
    docs: RESET,
    needs: ['startupApplicationName'],
    sessions: { a: { applicationName: 'pc-start-a' } },
    steps: [
      step('a', "SET application_name = 'pc-app-changed'", { expect: { parameterStatus: { application_name: 'pc-app-changed' } } }),
      step('a', 'RESET ALL', { expect: { parameterStatus: { application_name: 'pc-start-a' } } }),
      step('a', 'SHOW application_name', { expect: { rows: [['pc-start-a']] } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/discard-all-reported',
    category: 'parameter-status',
    pool: 'single',
    why: 'DISCARD ALL (what a client library runs to clean a connection) must restore DateStyle and TimeZone and report both to the driver.',
    docs: 'https://www.postgresql.org/docs/current/sql-discard.html',
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW DateStyle', { save: 'd0' }),
      step('a', 'SHOW TimeZone', { save: 'tz0' }),
      step('a', "SET DateStyle = 'ISO, DMY'"),
      step('a', "SET TimeZone = 'Pacific/Chatham'", { expect: { parameterStatus: { DateStyle: 'ISO, DMY', TimeZone: 'Pacific/Chatham' } } }),
      step('a', 'DISCARD ALL', { expect: { parameterStatus: { DateStyle: '$d0', TimeZone: '$tz0' } } }),
      // Texts not run before DISCARD ALL: a driver that caches statements by text would
      // otherwise reuse one DISCARD ALL deallocated.
      step('a', "SELECT current_setting('DateStyle'), current_setting('TimeZone')", { expect: { rows: [['$d0', '$tz0']] } }),
    ],
  }),
];
