import { defineScenario, observe, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

// ALTER ROLE ... IN DATABASE ... SET gives every session that role opens in that database a
// default, applied when the session starts; sessions already open keep what they had. Reported
// parameters among them reach the new session's driver in the startup ParameterStatus.
// https://www.postgresql.org/docs/current/sql-alterrole.html
//
// The observer logs in as its own role, so the role the sessions use is read from a first
// session (w) before the change. Other lanes run in other databases of the same cluster, so
// the setting is scoped to this lane's database (current_database() of the observer, a
// direct connection to it), and teardown removes it from every role in this database whatever
// happened.
const DOCS = 'https://www.postgresql.org/docs/current/sql-alterrole.html';

/** One ALTER ROLE per setting (it takes one at a time), for the role saved as $app. */
const roleSet = (settings: Record<string, string>) =>
  `DO $$ BEGIN ${Object.entries(settings)
    .map(([name, value]) => `EXECUTE format('ALTER ROLE %I IN DATABASE %I SET ${name} = %L', '{{$app}}', current_database(), '${value}');`)
    .join(' ')} END $$`;

const roleReset = (names: readonly string[]) => `DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT pg_get_userbyid(s.setrole) AS role FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
           WHERE d.datname = current_database() AND s.setrole <> 0 LOOP
    ${names.map((n) => `EXECUTE format('ALTER ROLE %I IN DATABASE %I RESET ${n}', r.role, current_database());`).join('\n    ')}
  END LOOP;
END $$`;

/** w learns the login role and leaves before the change is made. */
const learnRoleThenLeave: StepSpec[] = [step('w', 'SELECT session_user', { save: 'app' }), { session: 'w', disconnect: 'terminate' }];

export default [
  defineScenario({
    id: 'parameter-status/alter-role-set-seen-by-new-connection',
    category: 'parameter-status',
    pool: 'single',
    why: 'A per-role default set with ALTER ROLE (a statement_timeout for an application role) must apply to the connections the application opens afterwards.',
    docs: DOCS,
    teardown: [roleReset(['statement_timeout'])],
    // w goes through the other pool, so nothing has used a's pool before the change.
    sessions: { w: { pool: 'wide' }, a: {} },
    steps: [
      ...learnRoleThenLeave,
      observe(roleSet({ statement_timeout: '4321s' })),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
    ],
  }),
  defineScenario({
    id: 'parameter-status/alter-role-set-reaches-connection-opened-later',
    category: 'parameter-status',
    pool: 'single',
    why: 'After ALTER ROLE ... SET, a connection opened later must get the new defaults, and its driver the reported ones; a pooler handing it a server connection opened earlier gives it the old ones.',
    docs: DOCS,
    teardown: [roleReset(['statement_timeout', 'IntervalStyle'])],
    // w and b use the same pool: a pooler has a server connection from before the change.
    sessions: { w: {}, b: {} },
    steps: [
      ...learnRoleThenLeave,
      observe(roleSet({ statement_timeout: '4321s', IntervalStyle: 'iso_8601' })),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
      step('b', 'SHOW IntervalStyle', { expect: { rows: [['iso_8601']], parameterStatus: { IntervalStyle: 'iso_8601' } } }),
    ],
  }),
];
