// pgbouncer and sessions the server ends, logins PostgreSQL refuses, and roles and databases
// changed under the pool (issue 18: catalogue items 1, 2, 8, 11, 12, 13, 24). Checked against
// 1.18.0 (bookworm, PostgreSQL 15), 1.24.1 (trixie, 17) and 1.26.1 (sid, 18), raw and pg, every
// mode. A scenario's own roles reach the server through auth_user and the default auth_query,
// its databases through the "*" entry (adapter.ts scenarioReach).
import type { DriverId } from '../../drivers/registry.ts';
import type { ProfileEntry } from '../profile.ts';

const CONFIG = 'https://www.pgbouncer.org/config.html';

/** Sessions the server ends while their client holds the server connection. */
const ENDED_WHILE_LINKED = [
  'abnormal-exits/server-ends-idle-in-transaction-session',
  'abnormal-exits/server-ends-terminated-session-in-transaction',
  'abnormal-exits/server-ends-busy-session-terminated-by-other-client',
];
/** Ended while running a query: the client holds the server in every mode, statement pooling too. */
const ENDED_WHILE_RUNNING = ['abnormal-exits/server-ends-busy-session-terminated-by-other-client'];
/** Sessions the server ends while their client is idle outside a transaction. */
const ENDED_WHILE_IDLE = ['abnormal-exits/server-ends-idle-session', 'abnormal-exits/server-ends-terminated-session'];
const TRANSACTION_TIMEOUT = 'abnormal-exits/server-ends-session-at-transaction-timeout';

/** After relaying the server's FATAL, pgbouncer sends one of its own before closing. */
const crashedToo = (scenarios: readonly string[], postgres?: string): ProfileEntry => ({
  scenarios,
  ...(postgres ? { postgres } : {}),
  reason:
    'when the server ends a session whose server connection a client holds, pgbouncer relays the server\'s FATAL (25P03, 25P04, 57P01, 57P05), then sends its own FATAL 08P01 "server conn crashed?" before closing; PostgreSQL sends one FATAL and closes',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/347',
  source: 'issue',
  divergence: { kind: 'closed', pattern: 'ErrorResponse:08P01' },
});

/** Transaction pooling: between transactions a client holds no server, so a server that ends then ends no client. */
const IDLE_CLIENT_NOT_TOLD: ProfileEntry = {
  scenarios: ENDED_WHILE_IDLE,
  reason:
    'in transaction (and statement) pooling a client holds a server connection only inside a transaction: when the server ends the one the client last used (idle_session_timeout, pg_terminate_backend), the client is not told, and its next query runs on another server',
  link: `${CONFIG}#pool_mode`,
  divergence: { kind: 'no-answer' },
};

/** pgbouncer answers a refused login itself, with its own SQLSTATE. */
const LOGIN_REFUSED_08P01: ProfileEntry = {
  scenarios: [
    'auth-transport/login-wrong-password-unknown-database',
    'auth-transport/login-md5-wrong-password',
    'auth-transport/login-empty-user',
    'auth-transport/login-md5-stored-role-refused-by-scram',
    'auth-transport/role-wrong-password-refused-with-pooled-connection',
    'auth-transport/role-nologin-refused-at-next-login',
    'auth-transport/role-password-change-at-next-login',
    'auth-transport/role-valid-until-past-refused-at-next-login',
    'auth-transport/role-dropped-refused-at-next-login',
    'auth-transport/role-renamed-at-next-login',
    'auth-transport/role-nologin-refused-again-after-pooled-server-ended',
    'auth-transport/role-valid-until-restored-at-next-login',
    'auth-transport/role-login-restored-after-nologin',
    'auth-transport/role-created-without-login-refused',
    'auth-transport/login-after-wrong-password-works',
  ],
  reason:
    'pgbouncer refuses these logins itself, as 08P01 (protocol_violation: "SASL authentication failed" also for a role whose auth_query secret is md5, "password authentication failed", "no username supplied"; "no such user" for a role its auth_query does not find: on 1.18 one that may no longer log in, on every release one created without LOGIN, which pg_shadow does not list), where PostgreSQL says 28P01, or 28000 for a role that may not log in or no user name; the refusal itself is right',
  link: 'https://github.com/npgsql/npgsql/issues/3477',
  source: 'issue',
  divergence: { kind: 'sqlstate', sqlstate: '08P01' },
};

const UNKNOWN_ROLE: ProfileEntry = {
  scenarios: ['auth-transport/login-unknown-role'],
  reason:
    'with auth_query, a role the query does not find is refused at once with "no such user" (08P01), before any password exchange, which tells the client which roles exist; PostgreSQL fails the password exchange like a wrong password (28P01)',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/375',
  source: 'issue',
  divergence: { kind: 'sqlstate', sqlstate: '08P01' },
};

const UNKNOWN_DATABASE: ProfileEntry = {
  scenarios: [
    'auth-transport/login-unknown-database',
    'auth-transport/login-unknown-database-md5-role',
    'auth-transport/login-after-unknown-database-works',
  ],
  versions: '<1.20',
  reason: 'before 1.20 pgbouncer passes the server\'s "database does not exist" on as 08P01, not 3D000 (fixed by pgbouncer#814)',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/778',
  source: 'issue',
  divergence: { kind: 'sqlstate', sqlstate: '08P01' },
};

/**
 * pgbouncer logs a client in itself (its own authentication, its own ReadyForQuery) and opens a
 * server connection only when one is needed: what PostgreSQL checks when a session starts (the
 * database exists, CONNECT privilege, the role's connection limit) is met only then, and not at
 * all when a pooled server connection of that database and role is at hand.
 */
const LOGIN_WITHOUT_SERVER_CHECKS: ProfileEntry = {
  // Through pgjdbc and postgres.js these wait in session pooling (the entry below), and log in otherwise.
  scenarios: ['auth-transport/role-revoke-connect-refused-at-next-login', 'auth-transport/login-role-connection-limit'],
  reason:
    "pgbouncer completes the login itself and reuses the pool's server connections: a role without CONNECT, beyond its connection limit, or to a database that was dropped or renamed logs in, and meets the refusal (if at all) at its first query",
  link: 'https://github.com/pgbouncer/pgbouncer/issues/423',
  source: 'issue',
  divergence: { kind: 'no-error' },
};

/** Where the pool has no server left to reuse, these drivers' logins wait for a new one (the entry below). */
const LOGIN_NEEDS_A_SERVER: readonly DriverId[] = ['pgjdbc', 'postgres.js', 'postgres.js:pooler-safe'];
const DATABASE_GONE = ['auth-transport/database-dropped-login-refused', 'auth-transport/database-renamed-login-to-old-name-refused'];

const LOGIN_WITHOUT_SERVER_CHECKS_OTHERS: ProfileEntry = {
  ...LOGIN_WITHOUT_SERVER_CHECKS,
  scenarios: DATABASE_GONE,
  exceptDrivers: LOGIN_NEEDS_A_SERVER,
};

/**
 * The same logins through pgjdbc and postgres.js, which pgbouncer completes only once it has a
 * server connection: how they end depends on the release, and a refusal as PostgreSQL's is no news.
 */
const LOGIN_WITHOUT_SERVER_CHECKS_PGJDBC: ProfileEntry = {
  scenarios: ['auth-transport/login-role-connection-limit', ...DATABASE_GONE],
  drivers: LOGIN_NEEDS_A_SERVER,
  optional: true,
  reason:
    "the logins the other drivers complete (see the entry above) wait through pgjdbc and postgres.js for a new server connection, which the server refuses (connection limit reached, database gone): pgbouncer sends them no ReadyForQuery within the step's deadline (1.18.0, and 1.26.1 at the connection limit in session pooling), or ends them with the server's error where the database is gone (1.26.1), which pgjdbc reads as PostgreSQL's refusal and postgres.js as a connection closed under its login",
  link: 'https://github.com/pgbouncer/pgbouncer/issues/423',
  source: 'observed',
  divergence: [{ kind: 'no-answer' }, { kind: 'closed' }],
};

const IDLE_SERVERS_BLOCK_DROP: ProfileEntry = {
  scenarios: ['auth-transport/database-dropped-after-clients-left', 'auth-transport/database-renamed-after-clients-left'],
  reason:
    'pgbouncer keeps idle server connections to the database after its clients left, so DROP DATABASE and ALTER DATABASE ... RENAME fail with 55006 (KILL or RECONNECT on the console closes them)',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/189',
  source: 'issue',
  divergence: { kind: 'error', sqlstate: '55006' },
};

const DATABASE_SETUP_REUSED: ProfileEntry = {
  scenarios: ['parameter-status/alter-database-set-reaches-connection-opened-later'],
  reason:
    'database settings apply when a server connection logs in; pgbouncer hands the client a server connection opened before the ALTER DATABASE (its RECONNECT command exists for "server connection setup has changed")',
  link: 'https://www.pgbouncer.org/usage.html#reconnect-db',
  divergence: { kind: 'rows' },
};

const STARTUP_PACKET: readonly ProfileEntry[] = [
  {
    scenarios: ['auth-transport/login-startup-packet-over-4kb'],
    versions: '<1.23',
    reason:
      'before 1.23 pgbouncer refuses a StartupMessage larger than pkt_buf (4 kB) with "client sent partial pkt in startup phase" (08P01); fixed by pgbouncer#1058',
    link: 'https://github.com/pgbouncer/pgbouncer/issues/1056',
    source: 'issue',
    divergence: { kind: 'error', sqlstate: '08P01' },
  },
  {
    // varcache.c quotes the value into a 128-byte buffer and skips the SET when it does not fit.
    scenarios: ['auth-transport/login-startup-packet-over-4kb'],
    versions: '>=1.23',
    reason:
      "pgbouncer applies a client's application_name with SET, and silently skips one longer than about 125 bytes (it does not fit the buffer it quotes it into): the session's application_name is empty, where PostgreSQL keeps its first 63 characters",
    link: 'https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-APPLICATION-NAME',
    source: 'observed',
    divergence: { kind: 'rows' },
  },
];

const OPTIONS_SETTING_REFUSED: ProfileEntry = {
  scenarios: ['auth-transport/login-superuser-setting-in-options-refused'],
  reason:
    'pgbouncer refuses the options startup parameter (before 1.20), or a -c setting in it that it does not track (from 1.20: "unsupported startup parameter in options"), with 08P01, before PostgreSQL could refuse the setting itself (42501)',
  link: `${CONFIG}#ignore_startup_parameters`,
  divergence: { kind: 'sqlstate', sqlstate: '08P01' },
};

/** Every mode alike. */
/**
 * A client certificate never reaches PostgreSQL: pgbouncer terminates TLS, checks a presented
 * certificate itself against client_tls_ca_file (unset here: the system's CAs, which do not hold
 * poolcheck's test CA, so the handshake fails with "unknown ca"), and logs in to the server with
 * credentials of its own (server_tls_cert_file is one certificate for every server connection).
 * Observed on 1.18.0 (bookworm), raw.
 */
const CLIENT_CERTIFICATE: ProfileEntry = {
  scenarios: ['auth-transport/client-certificate-login'],
  reason:
    'pgbouncer terminates TLS: a client certificate is checked by pgbouncer (client_tls_ca_file, auth_type cert) and never passed on; its server login uses its own credentials, so a role PostgreSQL lets in only by certificate (hostssl ... cert) cannot be reached through it. Here the certificate of a CA pgbouncer does not trust ends the handshake (TLS alert "unknown ca")',
  link: `${CONFIG}#client_tls_ca_file`,
  divergence: { kind: 'closed' },
};

const LOGINS = [
  CLIENT_CERTIFICATE,
  LOGIN_REFUSED_08P01,
  UNKNOWN_ROLE,
  UNKNOWN_DATABASE,
  LOGIN_WITHOUT_SERVER_CHECKS,
  LOGIN_WITHOUT_SERVER_CHECKS_OTHERS,
  LOGIN_WITHOUT_SERVER_CHECKS_PGJDBC,
  IDLE_SERVERS_BLOCK_DROP,
  DATABASE_SETUP_REUSED,
  ...STARTUP_PACKET,
  OPTIONS_SETTING_REFUSED,
];

/**
 * By mode. Statement pooling refuses BEGIN (the profile's transaction-block entry), so the
 * scenarios that open a transaction stop there.
 */
export const ROLES_AND_SERVER_ENDS: Readonly<Record<'session' | 'transaction' | 'statement', readonly ProfileEntry[]>> = {
  session: [...LOGINS, crashedToo([...ENDED_WHILE_LINKED, ...ENDED_WHILE_IDLE]), crashedToo([TRANSACTION_TIMEOUT], '>=17')],
  transaction: [...LOGINS, crashedToo(ENDED_WHILE_LINKED), crashedToo([TRANSACTION_TIMEOUT], '>=17'), IDLE_CLIENT_NOT_TOLD],
  statement: [...LOGINS, crashedToo(ENDED_WHILE_RUNNING), IDLE_CLIENT_NOT_TOLD],
};
