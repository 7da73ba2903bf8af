// A new session starts with the settings stored for it, the most specific winning: ALTER ROLE ...
// IN DATABASE over ALTER ROLE over ALTER DATABASE over ALTER ROLE ALL, and a startup parameter
// over all of them. Sessions already open keep what they started with.
// https://www.postgresql.org/docs/current/sql-alterrole.html (Notes: precedence)
//
// The settings are placeholders named per run (`{{g}}.level`), so nothing else reads them;
// ALTER ROLE ALL and ALTER ROLE without IN DATABASE reach the whole cluster, which other lanes
// share, so only such a name may be stored there. Each session logs in as a different role
// (the app role, md5, trust), so each reads another level.
import { defineScenario, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/sql-alterrole.html';
const G = '{{g}}.level';
/** `what` with %I for this lane's database and, with a value, %L for it. */
const inThisDatabase = (what: string, value?: string) =>
  `DO $$ BEGIN EXECUTE format('${what}', current_database()${value === undefined ? '' : `, '${value}'`}); END $$`;

export default [
  defineScenario({
    id: 'session-state/role-and-database-settings-precedence',
    category: 'session-state',
    // Each role has server connections of its own in a pooler: nobody follows anybody here.
    pool: 'wide',
    why: "Per-role and per-database defaults (statement_timeout for an application role, a search_path per database) must apply to new sessions in PostgreSQL's order; a pooler that replays settings of its own, or hands out a server set up for another role, applies the wrong one.",
    docs: DOCS,
    setup: [
      `ALTER ROLE ALL SET ${G} = 'role all'`,
      inThisDatabase(`ALTER DATABASE %I SET ${G} = %L`, 'database'),
      `ALTER ROLE pc_md5 SET ${G} = 'role'`,
      inThisDatabase(`ALTER ROLE pc_trust IN DATABASE %I SET ${G} = %L`, 'role in database'),
      `ALTER ROLE pc_trust SET ${G} = 'role'`,
    ],
    teardown: [
      `ALTER ROLE ALL RESET ${G}`,
      inThisDatabase(`ALTER DATABASE %I RESET ${G}`),
      `ALTER ROLE pc_md5 RESET ${G}`,
      `ALTER ROLE pc_trust RESET ${G}`,
      inThisDatabase(`ALTER ROLE pc_trust IN DATABASE %I RESET ${G}`),
    ],
    sessions: { app: {}, md5: { user: 'md5' }, trust: { user: 'trust' } },
    steps: [
      step('app', `SELECT current_setting('${G}')`, { label: "no role setting: the database's wins over ALL", expect: { rows: [['database']] } }),
      step('md5', `SELECT current_setting('${G}')`, { label: "the role's wins over the database's", expect: { rows: [['role']] } }),
      step('trust', `SELECT current_setting('${G}')`, {
        label: "the role's in this database wins over the role's",
        expect: { rows: [['role in database']] },
      }),
    ],
  }),
];
