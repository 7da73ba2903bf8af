import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

// ALTER ROLE ... IN DATABASE ... SET gives every session that role opens in that database a
// default, applied when the session starts; sessions already open keep what they had. Reported
// parameters among them reach the new session's driver in the startup ParameterStatus.
// https://www.postgresql.org/docs/current/sql-alterrole.html
//
// Other lanes run in other databases of the same cluster, so the setting is scoped to this
// lane's database (current_database() of the observer, a direct connection to it) and removed
// in teardown whatever happened.
const DOCS = 'https://www.postgresql.org/docs/current/sql-alterrole.html';

/** One ALTER ROLE per assignment (it takes one parameter at a time); quotes doubled for format(). */
const roleSet = (...assignments: string[]) =>
  `DO $$ BEGIN ${assignments.map((a) => `EXECUTE format('ALTER ROLE %I IN DATABASE %I SET ${a}', current_user, current_database());`).join(' ')} END $$`;
const roleReset = (param: string) =>
  `DO $$ BEGIN EXECUTE format('ALTER ROLE %I IN DATABASE %I RESET ${param}', current_user, current_database()); END $$`;

export default [
  defineScenario({
    id: 'parameter-status/alter-role-set-seen-by-new-connection',
    category: 'parameter-status',
    pool: 'single',
    why: 'A per-role default set with ALTER ROLE (a statement_timeout for an application role) must apply to the connections the application opens afterwards.',
    docs: DOCS,
    setup: [roleSet("statement_timeout = ''4321s''")],
    teardown: [roleReset('statement_timeout')],
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/alter-role-set-reaches-connection-opened-later',
    category: 'parameter-status',
    pool: 'single',
    why: 'After ALTER ROLE ... SET, a connection opened later must get the new defaults, and its driver the reported ones; a pooler handing it a server connection opened earlier gives it the old ones.',
    docs: DOCS,
    teardown: [roleReset('statement_timeout'), roleReset('IntervalStyle')],
    sessions: { w: {}, b: {} },
    steps: [
      // A connection used and closed before the change (so a pooler has a server connection
      // from before it).
      step('w', 'SELECT 1', { expect: { rows: [['1']] } }),
      { session: 'w', disconnect: 'terminate' },
      observe(roleSet("statement_timeout = ''4321s''", "IntervalStyle = ''iso_8601''")),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
      step('b', 'SHOW IntervalStyle', { expect: { rows: [['iso_8601']], parameterStatus: { IntervalStyle: 'iso_8601' } } }),
    ],
  }),
];
