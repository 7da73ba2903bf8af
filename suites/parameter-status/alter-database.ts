import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

// ALTER DATABASE ... SET gives every session opened in that database afterwards a default,
// applied when the session starts; sessions already open keep what they had. Reported
// parameters among them reach the new session's driver in the startup ParameterStatus.
// https://www.postgresql.org/docs/current/sql-alterdatabase.html
//
// The database is the lane's own (current_database() of the observer, a direct connection to
// it): a scenario runs alone in its lane, and teardown resets what it set whatever happened.
const DOCS = 'https://www.postgresql.org/docs/current/sql-alterdatabase.html';

/** One ALTER DATABASE per setting (it takes one at a time), on the lane's database. */
const databaseSet = (settings: Record<string, string>) =>
  `DO $$ BEGIN ${Object.entries(settings)
    .map(([name, value]) => `EXECUTE format('ALTER DATABASE %I SET ${name} = %L', current_database(), '${value}');`)
    .join(' ')} END $$`;

const databaseReset = (names: readonly string[]) =>
  `DO $$ BEGIN ${names.map((n) => `EXECUTE format('ALTER DATABASE %I RESET ${n}', current_database());`).join(' ')} END $$`;

export default [
  defineScenario({
    id: 'parameter-status/alter-database-set-seen-by-new-connection',
    category: 'parameter-status',
    pool: 'single',
    why: 'A per-database default set with ALTER DATABASE (a statement_timeout for a reporting database) must apply to the connections opened afterwards.',
    docs: DOCS,
    teardown: [databaseReset(['statement_timeout'])],
    sessions: { a: {} },
    steps: [observe(databaseSet({ statement_timeout: '4321s' })), step('a', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } })],
  }),
  defineScenario({
    id: 'parameter-status/alter-database-set-reaches-connection-opened-later',
    category: 'parameter-status',
    pool: 'single',
    why: 'After ALTER DATABASE ... SET, a connection opened later must get the new defaults, and its driver the reported ones; a pooler handing it a server connection opened earlier gives it the old ones.',
    docs: DOCS,
    teardown: [databaseReset(['statement_timeout', 'IntervalStyle'])],
    // w and b use the same pool: a pooler has a server connection from before the change.
    sessions: { w: {}, b: {} },
    steps: [
      step('w', 'SHOW statement_timeout', { expect: { rows: [['0']] } }),
      { session: 'w', disconnect: 'terminate' },
      observe(databaseSet({ statement_timeout: '4321s', IntervalStyle: 'iso_8601' })),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
      step('b', 'SHOW IntervalStyle', { expect: { rows: [['iso_8601']], parameterStatus: { IntervalStyle: 'iso_8601' } } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/alter-database-set-not-seen-by-open-session',
    category: 'parameter-status',
    pool: 'wide',
    why: 'ALTER DATABASE ... SET must not change a session that is already open: a long-running worker keeps the timeout it started with, also where a transaction pooler serves it from several server connections.',
    docs: DOCS,
    teardown: [databaseReset(['statement_timeout'])],
    sessions: { o: {} },
    steps: [
      step('o', 'SHOW statement_timeout', { expect: { rows: [['0']] } }),
      observe(databaseSet({ statement_timeout: '4321s' })),
      step('o', 'SHOW statement_timeout', { expect: { rows: [['0']] } }),
      step('o', 'BEGIN'),
      step('o', 'SHOW statement_timeout', { expect: { rows: [['0']] } }),
      step('o', 'COMMIT'),
    ],
  }),
];
