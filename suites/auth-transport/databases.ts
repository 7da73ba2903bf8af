// A database dropped or renamed while clients come and go through the pooler. PostgreSQL refuses
// DROP and RENAME only while a session is connected to the database (55006); once its clients
// have left, both succeed, and a later login to the old name gets 3D000. A pooler that keeps
// idle server connections to the database makes the DROP fail after every client has left (CI
// teardowns, test runners that create and drop a database per run), or hands a login to a
// database that is gone a dead connection.
// https://www.postgresql.org/docs/current/sql-dropdatabase.html
// https://www.postgresql.org/docs/current/sql-alterdatabase.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const DROP = 'https://www.postgresql.org/docs/current/sql-dropdatabase.html';
const ALTER = 'https://www.postgresql.org/docs/current/sql-alterdatabase.html';

/** DROP and RENAME wait up to 5 s for other sessions of the database to leave before they give up with 55006. */
const OTHERS_GIVEN_MS = 15_000;

export default [
  defineScenario({
    id: 'auth-transport/database-dropped-after-clients-left',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A test runner drops the database it used once its clients have closed; a pooler that keeps idle server connections to it makes DROP DATABASE fail with 55006.',
    docs: DROP,
    databases: { d: {} },
    // c drops it through the pooler, from the lane's database, as a test runner does.
    sessions: { a: { database: 'd' }, c: {} },
    steps: [step('a', 'SELECT 1'), { session: 'a', disconnect: 'terminate' }, step('c', 'DROP DATABASE {{d}}', { timeoutMs: OTHERS_GIVEN_MS })],
  }),
  defineScenario({
    id: 'auth-transport/database-renamed-after-clients-left',
    category: 'auth-transport',
    pool: 'wide',
    why: 'ALTER DATABASE ... RENAME (a blue-green switch of a database) must succeed once its clients have closed, and the new name must then log in.',
    docs: ALTER,
    databases: { d: {}, renamed: { absent: true } },
    sessions: { a: { database: 'd' }, c: {}, e: { database: 'renamed' } },
    steps: [
      step('a', 'SELECT 1'),
      { session: 'a', disconnect: 'terminate' },
      step('c', 'ALTER DATABASE {{d}} RENAME TO {{renamed}}', { timeoutMs: OTHERS_GIVEN_MS }),
      step('e', "SELECT current_database() = '{{renamed}}'", { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/database-drop-refused-while-client-connected',
    category: 'auth-transport',
    pool: 'wide',
    why: 'DROP DATABASE must fail with 55006 while a client is connected to the database, and that client must go on working.',
    docs: DROP,
    databases: { d: {} },
    sessions: { a: { database: 'd' }, c: {} },
    steps: [
      step('a', 'SELECT 1'),
      step('c', 'DROP DATABASE {{d}}', { timeoutMs: OTHERS_GIVEN_MS, expect: { error: '55006' } }),
      step('a', "SELECT current_database() = '{{d}}'", { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/database-dropped-login-refused',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A login to a database that was dropped must get 3D000 (tools create the database on that code), not a connection the pool kept to it.',
    docs: DROP,
    needs: ['loginErrorCode'],
    databases: { d: {} },
    sessions: { a: { database: 'd' }, b: { database: 'd' } },
    steps: [
      step('a', 'SELECT 1'),
      { session: 'a', disconnect: 'terminate' },
      // FORCE ends whatever is still connected (a pooler's idle servers), so the drop happens everywhere.
      observe('DROP DATABASE {{d}} WITH (FORCE)'),
      { session: 'b', connect: true, expect: { error: '3D000' } },
    ],
  }),
  defineScenario({
    id: 'auth-transport/database-renamed-login-to-old-name-refused',
    category: 'auth-transport',
    pool: 'wide',
    why: 'After a database is renamed, a login to its old name must get 3D000, not a connection the pool kept to the database under that name.',
    docs: ALTER,
    needs: ['loginErrorCode'],
    databases: { d: {}, renamed: { absent: true } },
    sessions: { a: { database: 'd' }, b: { database: 'd' } },
    steps: [
      step('a', 'SELECT 1'),
      { session: 'a', disconnect: 'terminate' },
      // RENAME has no FORCE: what is still connected (a pooler's idle servers) is ended first.
      observe("SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity WHERE datname = '{{d}}'"),
      { session: 'observer', waitFor: { sql: "SELECT count(*) FROM pg_stat_activity WHERE datname = '{{d}}'", rows: [['0']] } },
      observe('ALTER DATABASE {{d}} RENAME TO {{renamed}}'),
      { session: 'b', connect: true, expect: { error: '3D000' } },
    ],
  }),
];
