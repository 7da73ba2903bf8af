// Logins PostgreSQL refuses, and logins at its limits, as a client sees them: the SQLSTATE of
// the FATAL error (drivers, connection pools and tools act on it: a migration tool creates the
// database on 3D000, a pool stops retrying on 28P01), and logins that must work however large.
// PostgreSQL authenticates before it looks at the database, so a wrong password is 28P01 even
// for a database that does not exist, and an unknown role fails the password exchange like a
// wrong password (28P01), revealing nothing.
// https://www.postgresql.org/docs/current/client-authentication-problems.html
// https://www.postgresql.org/docs/current/errcodes-appendix.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const PROBLEMS = 'https://www.postgresql.org/docs/current/client-authentication-problems.html';
const STARTUP = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP';

export default [
  // Item 13: refusals.
  defineScenario({
    id: 'auth-transport/login-unknown-database',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A login to a database that does not exist must get 3D000: migration tools and test runners create the database when they see it.',
    docs: PROBLEMS,
    needs: ['loginErrorCode'],
    databases: { nosuch: { absent: true } },
    sessions: { a: { database: 'nosuch' } },
    steps: [{ session: 'a', connect: true, expect: { error: '3D000' } }],
  }),
  defineScenario({
    id: 'auth-transport/login-unknown-role',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A login as a role that does not exist must fail like a wrong password (28P01), so that which roles exist is not revealed and clients treat it as bad credentials.',
    docs: PROBLEMS,
    needs: ['loginErrorCode'],
    roles: { ghost: { absent: true } },
    sessions: { a: { role: 'ghost' } },
    steps: [{ session: 'a', connect: true, expect: { error: '28P01' } }],
  }),
  defineScenario({
    id: 'auth-transport/login-wrong-password-unknown-database',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A wrong password to a database that does not exist must be refused as a wrong password (28P01): which databases exist is not told to someone who has not authenticated.',
    docs: PROBLEMS,
    needs: ['loginErrorCode'],
    databases: { nosuch: { absent: true } },
    sessions: { a: { database: 'nosuch', password: 'wrong' } },
    steps: [{ session: 'a', connect: true, expect: { error: '28P01' } }],
  }),

  // Item 24: edge cases.
  defineScenario({
    id: 'auth-transport/login-md5-wrong-password',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A wrong password for a role stored as md5 must be refused with 28P01, as for SCRAM.',
    docs: 'https://www.postgresql.org/docs/current/auth-password.html',
    needs: ['loginErrorCode'],
    sessions: { a: { user: 'md5', password: 'wrong' } },
    steps: [{ session: 'a', connect: true, expect: { error: '28P01' } }],
  }),
  defineScenario({
    id: 'auth-transport/login-long-password',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Generated secrets can be long: a 1000-character password must log in as it does on PostgreSQL, not be cut or refused by a buffer in the pooler.',
    docs: 'https://www.postgresql.org/docs/current/auth-password.html',
    roles: { r: { password: 'long-{{repeat:0123456789:99}}-end' } },
    sessions: { a: { role: 'r' } },
    steps: [step('a', "SELECT current_user = '{{r}}'", { expect: { rows: [['t']] } })],
  }),
  defineScenario({
    id: 'auth-transport/login-empty-user',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A StartupMessage without a user name must be refused with 28000 ("no PostgreSQL user name specified"), not crash or confuse the pooler.',
    docs: STARTUP,
    needs: ['loginErrorCode'],
    sessions: { a: { user: 'empty' } },
    steps: [{ session: 'a', connect: true, expect: { error: '28000' } }],
  }),
  defineScenario({
    id: 'auth-transport/login-startup-packet-over-4kb',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A StartupMessage larger than 4 kB (a long application_name from a generated connection string) must log in; PostgreSQL takes up to 10000 bytes and cuts application_name to 63.',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-APPLICATION-NAME',
    needs: ['startupApplicationName'],
    sessions: { a: { applicationName: 'x'.repeat(5000) } },
    steps: [step('a', "SELECT length(current_setting('application_name'))", { expect: { rows: [['63']] } })],
  }),
  defineScenario({
    id: 'auth-transport/login-role-connection-limit',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A role with CONNECTION LIMIT 1 must be refused a second session (53300) while its first is open; a pooler that shares one server between them lets a capped role open sessions it was denied.',
    docs: 'https://www.postgresql.org/docs/current/sql-createrole.html',
    needs: ['loginErrorCode'],
    roles: { r: { connectionLimit: 1 } },
    sessions: { a: { role: 'r' }, b: { role: 'r' } },
    steps: [step('a', 'SELECT 1'), { session: 'b', connect: true, expect: { error: '53300' } }, step('a', 'SELECT 2', { expect: { rows: [['2']] } })],
  }),
  defineScenario({
    id: 'auth-transport/login-superuser-setting-in-options-refused',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A role that is not a superuser must be refused (42501) when its startup options set a superuser-only parameter, not get the setting applied by a pooler that logs in as someone else.',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-LOG-MIN-MESSAGES',
    needs: ['loginErrorCode'],
    roles: { r: {} },
    sessions: { a: { role: 'r', startupParams: { options: '-c log_min_messages=debug1' } } },
    steps: [{ session: 'a', connect: true, expect: { error: '42501' } }],
  }),
  defineScenario({
    id: 'auth-transport/login-client-gone-mid-authentication',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A client that drops its socket while asked for its password (a timeout, a killed process) must leave nothing behind: the next login of a role limited to one connection still gets in.',
    docs: STARTUP,
    roles: { r: { connectionLimit: 1 } },
    sessions: { a: { role: 'r' }, b: { role: 'r' } },
    steps: [
      { session: 'a', abandonLogin: true },
      { session: 'observer', waitFor: { sql: "SELECT count(*) FROM pg_stat_activity WHERE usename = '{{r}}'", rows: [['0']] } },
      step('b', "SELECT current_user = '{{r}}'", { expect: { rows: [['t']] } }),
      observe("SELECT count(*) FROM pg_stat_activity WHERE usename = '{{r}}'", { expect: { rows: [['1']] } }),
    ],
  }),
];
