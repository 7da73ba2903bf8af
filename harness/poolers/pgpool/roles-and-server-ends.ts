// pgpool-II and sessions the server ends, logins PostgreSQL refuses, and roles and databases
// changed under the connection cache (issue 18: catalogue items 1, 2, 8, 11, 12, 13, 24).
// Checked against 4.3.5 (bookworm, PostgreSQL 15), 4.6.1 (trixie, 17) and 4.7.3 (sid, 18), raw
// and pg. A scenario's own roles log in through pool_hba's "password" method: the client's
// clear-text password, which pgpool passes on to PostgreSQL when it opens a backend
// (adapter.ts scenarioReach).
import type { ProfileEntry } from '../profile.ts';

const DOCS = 'https://www.pgpool.net/docs/latest/en/html';
const ERRCODES = 'https://www.postgresql.org/docs/current/errcodes-appendix.html';

const TERMINATED_BACKEND: ProfileEntry = {
  scenarios: ['abnormal-exits/server-ends-terminated-session', 'abnormal-exits/server-ends-terminated-session-in-transaction'],
  reason:
    'pgpool does not pass on the FATAL 57P01 of a backend ended with pg_terminate_backend (the code it also gets at a server shutdown, which it treats as a failover question): the client gets pgpool\'s own NOTICE and FATAL XX000 "unable to read data from DB node 0"',
  link: `${DOCS}/restrictions.html`,
  divergence: { kind: 'closed', sqlstate: 'XX000' },
};

const TRANSACTION_TIMEOUT: ProfileEntry = {
  scenarios: ['abnormal-exits/server-ends-session-at-transaction-timeout'],
  postgres: '>=17',
  reason:
    'pgpool relays the FATAL 25P04 of transaction_timeout (PostgreSQL 17), then sends an ERROR XX000 "unable to forward message to frontend" of its own; it relays the FATALs of idle_in_transaction_session_timeout and idle_session_timeout as they are',
  link: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-TRANSACTION-TIMEOUT',
  source: 'observed',
  divergence: { kind: 'closed', pattern: 'ErrorResponse:XX000' },
};

/** A backend ended while it runs a client's query: its FATAL reaches the client, and one of pgpool's own after it. */
const TERMINATED_BUSY_BACKEND: ProfileEntry = {
  scenarios: ['abnormal-exits/server-ends-busy-session-terminated-by-other-client'],
  reason:
    'pgpool relays the FATAL 57P01 of a backend ended with pg_terminate_backend while it runs the client\'s query, then sends an ERROR XX000 "unable to forward message to frontend" of its own before the close; PostgreSQL sends the FATAL and closes',
  link: 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL',
  source: 'observed',
  divergence: { kind: 'closed', pattern: 'ErrorResponse:XX000' },
};

const OWN_LOGIN_ERRORS: ProfileEntry = {
  scenarios: [
    'auth-transport/login-unknown-role',
    'auth-transport/login-wrong-password-unknown-database',
    'auth-transport/login-md5-wrong-password',
    'auth-transport/login-md5-stored-role-refused-by-scram',
    'auth-transport/role-wrong-password-refused-with-pooled-connection',
    'auth-transport/login-after-wrong-password-works',
  ],
  reason:
    'pgpool refuses these logins itself, with severity ERROR and SQLSTATE XX000 ("authentication failed", "md5 authentication failed", "backend authentication failed"), where PostgreSQL sends FATAL 28P01 (invalid_password)',
  link: ERRCODES,
  source: 'observed',
  divergence: { kind: 'sqlstate', sqlstate: 'XX000' },
};

/**
 * A client of a cached backend is checked against the password that backend was opened with
 * (pool_do_reauth in src/auth/pool_auth.c compares the clear-text password it kept): PostgreSQL
 * is not asked again, so what changed since about the role does not count.
 */
const CACHED_BACKEND_LOGIN: ProfileEntry = {
  scenarios: [
    'auth-transport/role-nologin-refused-at-next-login',
    'auth-transport/role-password-change-at-next-login',
    'auth-transport/role-valid-until-past-refused-at-next-login',
    'auth-transport/role-dropped-refused-at-next-login',
    'auth-transport/role-renamed-at-next-login',
    'auth-transport/role-valid-until-restored-at-next-login',
    'auth-transport/role-login-restored-after-nologin',
  ],
  reason:
    "a client that gets a cached backend is checked only against the password pgpool kept from that backend's login, not by PostgreSQL: a role switched to NOLOGIN, past its VALID UNTIL, dropped or renamed logs in again, and after a password change the old password still does",
  link: 'https://www.postgresql.org/docs/current/sql-alterrole.html',
  source: 'observed',
  divergence: { kind: 'no-error' },
};

/**
 * The same re-authentication, as a client sees it: pgpool asks for the clear-text password, then,
 * after the PasswordMessage, starts a SCRAM exchange as well (two authentication requests in one
 * login; seen on 4.3.5 with a role of a SCRAM password). Other drivers answer both and log in.
 */
const CACHED_BACKEND_LOGIN_ASKED_TWICE: ProfileEntry = {
  // The last: a role's login that PostgreSQL lets in (a backend of the role cached again), which tokio-postgres then fails.
  scenarios: [...CACHED_BACKEND_LOGIN.scenarios, 'auth-transport/role-logs-in-after-its-pooled-servers-ended'],
  drivers: ['tokio-postgres', 'tokio-postgres:pooler-safe'],
  // Measured on 4.3.5 only.
  optional: true,
  reason:
    'a client of a cached backend is asked for its password twice in one login (AuthenticationCleartextPassword, then AuthenticationSASL after the password): tokio-postgres refuses the second request ("unexpected message from server") and does not log in, where PostgreSQL lets the role in, or refuses these logins with FATAL 28P01 or 28000',
  link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
  source: 'observed',
  divergence: [{ kind: 'sqlstate' }, { kind: 'error', pattern: 'unexpected message from server' }],
};

/**
 * pgpool 4.6 (seen on 4.6.1; 4.3.5 and 4.7.3 relay the backend's error) answers a backend that
 * refuses the login, or sends a NoticeResponse during it (the NOTICE that a 5000-character
 * application_name will be truncated), with FATAL XX000 "unable to get session context" of its own.
 */
const STARTUP_MESSAGE_FROM_BACKEND: ProfileEntry = {
  scenarios: [
    'auth-transport/login-unknown-database',
    'auth-transport/login-unknown-database-md5-role',
    'auth-transport/database-dropped-login-refused',
    'auth-transport/database-renamed-login-to-old-name-refused',
    'auth-transport/role-revoke-connect-refused-at-next-login',
    'auth-transport/login-role-connection-limit',
    'auth-transport/login-superuser-setting-in-options-refused',
    'auth-transport/login-startup-packet-over-4kb',
  ],
  versions: '>=4.6 <4.7',
  reason:
    'when the backend answers pgpool\'s login with an ErrorResponse (3D000, 42501, 53300) or a NoticeResponse, pgpool 4.6 sends the client FATAL XX000 "unable to get session context" instead of the backend\'s message (the login fails either way; a NOTICE makes a login PostgreSQL accepts fail)',
  link: 'https://github.com/bitnami/charts/issues/28968',
  source: 'issue',
  divergence: [
    { kind: 'sqlstate', sqlstate: 'XX000' },
    { kind: 'error', sqlstate: 'XX000' },
  ],
};

/**
 * pgpool closes its children's idle cached connections when a client sends DROP DATABASE, then
 * waits 5 s (pool_proto_modules.c); it does nothing of the kind for ALTER DATABASE ... RENAME.
 * On a busy machine the 5 s are not always enough, and a rename after a drop finds the cache
 * already emptied: either may pass.
 */
const CACHED_BACKENDS_BLOCK_DROP: ProfileEntry = {
  scenarios: ['auth-transport/database-dropped-after-clients-left', 'auth-transport/database-renamed-after-clients-left'],
  optional: true,
  reason:
    'the connection cache keeps backends to the database after its clients left: pgpool closes them before a DROP DATABASE it sees (and waits a fixed 5 s), not before ALTER DATABASE ... RENAME, which then fails with 55006',
  link: `${DOCS}/runtime-config-connection-pooling.html`,
  divergence: { kind: 'error', sqlstate: '55006' },
};

/**
 * The same closing, met by a client still connected to the database: run three times each with
 * raw and pg on 4.3.5, the DROP DATABASE went through in three of six (the connected client's
 * backend closed under it), and was refused with 55006 in the others.
 */
const DROP_CLOSES_CONNECTED_CLIENTS_BACKEND: ProfileEntry = {
  scenarios: ['auth-transport/database-drop-refused-while-client-connected'],
  optional: true,
  reason:
    'pgpool closes the backends of a database before forwarding a DROP DATABASE for it, at times also the backend of a client still connected to that database and idle between queries: the DROP succeeds, where PostgreSQL refuses it (55006) while a client is connected',
  link: `${DOCS}/runtime-config-connection-pooling.html`,
  source: 'observed',
  divergence: [{ kind: 'no-error' }, { kind: 'closed' }],
};

const DATABASE_SETUP_REUSED: ProfileEntry = {
  scenarios: ['parameter-status/alter-database-set-reaches-connection-opened-later'],
  reason:
    'database settings apply when a backend logs in; pgpool hands the next client of the same user and database its cached backend, opened before the ALTER DATABASE, so the client gets the old defaults',
  link: `${DOCS}/runtime-config-connection-pooling.html`,
  divergence: { kind: 'rows' },
};

/**
 * A client certificate never reaches PostgreSQL: pgpool-II terminates TLS and logs in to the
 * backend itself (pool_hba "password" for a role not in pool_passwd, here), over TLS without a
 * client certificate; PostgreSQL refuses that login (FATAL "connection requires a valid client
 * certificate"), and pgpool-II 4.3 relays it as a malformed frame (an "E" whose length reads
 * 4521984: the client sees the connection close mid-message). Observed on 4.3.5 (bookworm), raw.
 */
const CLIENT_CERTIFICATE: ProfileEntry = {
  scenarios: ['auth-transport/client-certificate-login'],
  reason:
    "pgpool-II terminates TLS and authenticates the backend connection itself (its ssl_cert is one certificate for every backend connection): a role PostgreSQL lets in only by client certificate (hostssl ... cert) cannot be reached through it; the backend's refusal reaches the client as a malformed message and a closed connection",
  link: 'https://www.pgpool.net/docs/43/en/html/auth-methods.html#AUTH-CERT',
  source: 'observed',
  divergence: { kind: 'closed' },
};

export const ROLES_AND_SERVER_ENDS: readonly ProfileEntry[] = [
  TERMINATED_BACKEND,
  TRANSACTION_TIMEOUT,
  TERMINATED_BUSY_BACKEND,
  OWN_LOGIN_ERRORS,
  CACHED_BACKEND_LOGIN,
  CACHED_BACKEND_LOGIN_ASKED_TWICE,
  STARTUP_MESSAGE_FROM_BACKEND,
  CACHED_BACKENDS_BLOCK_DROP,
  DROP_CLOSES_CONNECTED_CLIENTS_BACKEND,
  DATABASE_SETUP_REUSED,
  CLIENT_CERTIFICATE,
];
