import { defineScenario, step } from '../../harness/scenario/define.ts';

// Since PostgreSQL 14 a changed reported parameter is sent as ParameterStatus just before the
// next ReadyForQuery, and only if its value differs from the one last reported. SET LOCAL is
// therefore reported when it is made, and the reverted value is reported again at COMMIT; a SET
// undone by ROLLBACK is reported back the same way.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
const ASYNC = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC';

export default [
  defineScenario({
    id: 'parameter-status/set-local-reported-then-reverted-at-commit',
    category: 'parameter-status',
    pool: 'single',
    why: 'A driver must be told of a SET LOCAL TimeZone and told again when COMMIT ends it; otherwise it converts the following timestamps with the wrong zone.',
    docs: ASYNC,
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW TimeZone', { save: 'tz0' }),
      step('a', 'BEGIN'),
      step('a', "SET LOCAL TimeZone = 'Pacific/Chatham'", { expect: { parameterStatus: { TimeZone: 'Pacific/Chatham' } } }),
      step('a', "SELECT current_setting('TimeZone')", { expect: { rows: [['Pacific/Chatham']] } }),
      step('a', 'COMMIT', { expect: { parameterStatus: { TimeZone: '$tz0' } } }),
      step('a', 'SHOW TimeZone', { expect: { rows: [['$tz0']], parameterStatus: { TimeZone: '$tz0' } } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/set-local-untracked-reverted-at-commit',
    category: 'parameter-status',
    pool: 'single',
    why: 'The same for IntervalStyle: after COMMIT ends a SET LOCAL the driver must hold the old style again, or it parses the next intervals in the wrong format.',
    docs: ASYNC,
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW IntervalStyle', { save: 'i0' }),
      step('a', 'BEGIN'),
      step('a', "SET LOCAL IntervalStyle = 'iso_8601'", { expect: { parameterStatus: { IntervalStyle: 'iso_8601' } } }),
      step('a', 'COMMIT', { expect: { parameterStatus: { IntervalStyle: '$i0' } } }),
      step('a', 'SHOW IntervalStyle', { expect: { rows: [['$i0']], parameterStatus: { IntervalStyle: '$i0' } } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/set-undone-by-rollback-reported',
    category: 'parameter-status',
    pool: 'single',
    why: 'A SET DateStyle inside a transaction that rolls back is undone; the driver must be told, or it keeps formatting dates for a style the session no longer has.',
    docs: 'https://www.postgresql.org/docs/current/sql-set.html',
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW DateStyle', { save: 'd0' }),
      step('a', 'BEGIN'),
      step('a', "SET DateStyle = 'ISO, DMY'", { expect: { parameterStatus: { DateStyle: 'ISO, DMY' } } }),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'ROLLBACK', { expect: { parameterStatus: { DateStyle: '$d0' } } }),
      step('a', 'SHOW DateStyle', { expect: { rows: [['$d0']], parameterStatus: { DateStyle: '$d0' } } }),
    ],
  }),
];
