// What pgbouncer's documentation says differs from PostgreSQL, per pooling mode. The rows of
// its "SQL feature map for pooling modes" are the main source; where the docs are silent, the
// entry cites the pgbouncer issue or change that describes the behaviour. Each entry names the
// divergence it documents, and the releases and settings it holds for: checked by runs against
// 1.18.0 (Debian bookworm, PostgreSQL 15), 1.24.1 (trixie, PostgreSQL 17) and 1.26.1 (sid,
// PostgreSQL 18), each also with max_prepared_statements=0.
import type { Profile, ProfileEntry } from '../profile.ts';
import { protocolEdges } from './protocol-edges.ts';
import { queueAndStartupEntries } from './queue-and-startup.ts';
import { ROLES_AND_SERVER_ENDS } from './roles-and-server-ends.ts';

const FEATURES = 'https://www.pgbouncer.org/features.html';
const CHANGELOG = 'https://www.pgbouncer.org/changelog.html';

/**
 * Protocol-level named prepared statements are tracked per client (1.21+, when
 * max_prepared_statements is not 0; 200 is the default from 1.24): pgbouncer renames them on
 * the server and prepares them on whatever server the client gets.
 */
const TRACKED = { versions: '>=1.21', settings: { max_prepared_statements: { not: '0' } } } as const;
/** Statements live on the server connection, as plain forwarding leaves them (before 1.21, or tracking off). */
const UNTRACKED = { settings: { max_prepared_statements: '0' } } as const;

/** pgbouncer answers the startup itself and gives each client its own cancel key. */
const OWN_BACKEND_KEY: ProfileEntry = {
  scenarios: [
    'backend-pid/key-data-pid-is-pg-backend-pid',
    'backend-pid/pg-stat-activity-pid-is-key-data-pid',
    'drivers/reported-pid-is-pg-backend-pid-on-reused-server',
    'drivers/terminate-by-reported-pid-ends-the-session',
  ],
  reason: 'pgbouncer sends every client its own BackendKeyData (a random cancel key, not a server pid), in every pooling mode',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/1296',
  source: 'issue',
  divergence: { kind: 'rows' },
};

/** Server connections start without the client's application_name; pgbouncer SETs it afterwards. */
const APPLICATION_NAME_RESET: ProfileEntry = {
  scenarios: ['parameter-status/application-name-reset-to-startup-value', 'parameter-status/reset-all-restores-startup-application-name'],
  reason:
    "pgbouncer opens server connections without the client's application_name and sets it later with SET, so RESET returns to the server's empty value",
  link: 'https://github.com/pgbouncer/pgbouncer/issues/457',
  source: 'issue',
  divergence: [{ kind: 'rows' }, { kind: 'parameter-status' }],
};

/** Refused at login: pgbouncer only accepts startup parameters it tracks. */
const UNTRACKED_STARTUP_PARAMETERS: ProfileEntry = {
  scenarios: [
    'auth-transport/startup-options-parameter',
    'auth-transport/startup-options-not-inherited-by-next-client',
    'auth-transport/startup-extra-float-digits',
    'auth-transport/startup-custom-setting',
  ],
  reason:
    'pgbouncer refuses a StartupMessage parameter it does not track ("unsupported startup parameter", 08P01) unless ignore_startup_parameters lists it, and then it drops the value',
  link: 'https://www.pgbouncer.org/config.html#ignore_startup_parameters',
  // Refused at login (08P01), or, for extra_float_digits, taken and dropped (other rows).
  divergence: [{ kind: 'error', sqlstate: '08P01' }, { kind: 'rows' }],
};

const LOGIN_FAILURE_CODE: ProfileEntry = {
  scenarios: ['auth-transport/wrong-password-refused'],
  reason: 'a failed login through pgbouncer is 08P01 (protocol_violation, "SASL authentication failed"), not PostgreSQL\'s 28P01 (invalid_password)',
  link: 'https://github.com/npgsql/npgsql/issues/3477',
  source: 'issue',
  divergence: { kind: 'sqlstate', sqlstate: '08P01' },
};

/**
 * pgbouncer 1.18.0 exits (FATAL "bad client state: 0" in disconnect_client) when a cancel
 * request's client closes its connection before pgbouncer has passed the request on: the
 * client was freed without being unlinked from the server connection carrying its cancel.
 * Fixed in 1.19.1 (pgbouncer#846). libpq waits for pgbouncer to close the cancel connection;
 * tokio-postgres closes it as soon as the key is written, every time.
 */
const CANCEL_CLIENT_GONE_CRASH: ProfileEntry = {
  // Seen in these; the trait names every scenario in which a driver cancels.
  scenarios: ['cancel/own-running-query', 'cancel/own-cancel-spares-other-clients-query'],
  traits: ['driver-cancel'],
  drivers: ['tokio-postgres', 'tokio-postgres:pooler-safe'],
  versions: '>=1.18.0 <1.19.1',
  stopsThePooler: true,
  reason:
    'pgbouncer 1.18.0 exits (FATAL "bad client state: 0") when the client of a cancel request disconnects before pgbouncer passed the request on, which tokio-postgres always does (fixed in 1.19.1)',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/801',
  source: 'issue',
};

/**
 * The same, with the raw client closing its cancel connection at once: on 1.18.0 one run lost
 * the cancel (the query ran on), the next passed and pgbouncer exited right after; 1.24.1 and
 * 1.26.1 pass it.
 */
const { traits: _traits, drivers: _drivers, ...CANCEL_CLIENT_GONE } = CANCEL_CLIENT_GONE_CRASH;
const CANCEL_HANG_UP_CRASH: ProfileEntry = {
  ...CANCEL_CLIENT_GONE,
  scenarios: ['cancel/cancel-connection-closed-by-client-at-once'],
  reason:
    'pgbouncer 1.18.0 loses the cancel, or exits (FATAL "bad client state: 0"), when the client of a cancel request disconnects before pgbouncer passed the request on (fixed in 1.19.1)',
};

const TERMINATE_DROPS_PENDING_QUERY: ProfileEntry = {
  scenarios: ['protocol-framing/terminate-in-same-write-as-query', 'protocol-framing/terminate-in-same-write-statement-still-runs'],
  reason:
    'pgbouncer acts on a Terminate read in the same packet as a Query before forwarding the Query: the statement never runs and no reply is sent (PostgreSQL runs it, answers, then closes); still so in 1.26.1',
  link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION',
  source: 'observed',
  divergence: [{ kind: 'messages' }, { kind: 'ground-truth' }],
};

/**
 * Statements the drivers name themselves (suites/drivers/statement-cache.ts): feature map
 * "Protocol-level prepared plans: No" in transaction pooling, met through the driver's cache.
 */
const DRIVER_STATEMENTS: readonly ProfileEntry[] = [
  {
    scenarios: ['drivers/statement-cache-after-other-client-used-the-server'],
    // Their names count per connection (S_1, _pg3_0, a1); asyncpg's, pgx's and tokio-postgres's
    // count per process and postgres.js's are random, so two clients of those do not collide.
    // PDO's count per connection too, but PDO answers 42P05 with DEALLOCATE and a new Parse.
    drivers: ['pgjdbc', 'psycopg', 'ruby-pg'],
    reason:
      "protocol-level prepared statements are not tracked (before 1.21, or max_prepared_statements=0); pgjdbc (S_1), psycopg (_pg3_0) and Rails' statements over ruby-pg (a1) number their statements per connection, so the next client's first named statement collides with the previous client's on the shared server (42P05)",
    link: FEATURES,
    ...UNTRACKED,
    divergence: { kind: 'error', sqlstate: '42P05' },
  },
  {
    scenarios: ['drivers/statement-cache-on-another-server-connection'],
    drivers: ['pgjdbc', 'psycopg', 'asyncpg', 'postgres.js', 'pgx', 'ruby-pg', 'pdo-pgsql', 'tokio-postgres'],
    reason:
      'protocol-level prepared statements are not tracked (before 1.21, or max_prepared_statements=0); the driver executes by name a statement it prepared on the server it had before, which the server it gets now never saw (26000)',
    link: FEATURES,
    ...UNTRACKED,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    // asyncpg and postgres.js name every query and execute a cached one by name on whatever
    // server the transaction gets: any scenario that runs a client's query again after another
    // client took the server it had.
    scenarios: '**',
    drivers: ['asyncpg', 'postgres.js'],
    optional: true,
    reason:
      "protocol-level prepared statements are not tracked (before 1.21, or max_prepared_statements=0); the driver's statement cache executes by name a statement prepared on another server connection (26000)",
    link: 'https://magicstack.github.io/asyncpg/current/faq.html#why-am-i-getting-prepared-statement-errors',
    ...UNTRACKED,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    // pgx prepares every query (its statement cache) and runs it by name from then on.
    scenarios: '**',
    drivers: ['pgx'],
    optional: true,
    reason:
      'feature map: protocol-level prepared plans "No" in transaction pooling (before 1.21, or max_prepared_statements=0); pgx\'s statement cache executes by name (lrupsc_N_M) a statement prepared on another server connection (26000)',
    link: FEATURES,
    ...UNTRACKED,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    // A tokio-postgres application keeps the Statement it prepared (s<N>) and runs it again.
    scenarios: '**',
    drivers: ['tokio-postgres'],
    optional: true,
    reason:
      'protocol-level prepared statements are not tracked (before 1.21, or max_prepared_statements=0); a tokio-postgres Statement kept from an earlier transaction is executed by name (s<N>) on a server connection that never prepared it (26000)',
    link: 'https://github.com/pgbouncer/pgbouncer/issues/1067',
    source: 'issue',
    ...UNTRACKED,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    // PDO numbers its statements per connection (pdo_stmt_00000001, ...) and a PDOStatement
    // kept from an earlier transaction is executed by name: on the server the next transaction
    // gets, that name is missing, or it is another client's statement, which then runs instead
    // (its rows, or its BEGIN, leaving a transaction open that aborts at the next error).
    scenarios: '**',
    drivers: ['pdo-pgsql'],
    optional: true,
    reason:
      'feature map: protocol-level prepared plans "No" in transaction pooling (before 1.21, or max_prepared_statements=0); a PDO statement prepared in an earlier transaction is executed by name (pdo_stmt_N) where the server has none of that name (26000) or another client\'s statement of that name, which runs instead (other rows, or a transaction left open: 25P02)',
    link: FEATURES,
    ...UNTRACKED,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'error', sqlstate: '25P02' }, { kind: 'rows' }],
  },
];

/**
 * Before 1.22 pgbouncer restored a client's DateStyle by re-applying the text it logged in with;
 * 1.22 keeps the value the server reports instead (pgbouncer#879, "Update client varcache with
 * canonical values from server").
 */
const DATESTYLE_REAPPLIED: ProfileEntry = {
  // Measured on 1.18.0 (transaction and statement pooling).
  scenarios: ['parameter-status/datestyle-kept-per-client'],
  drivers: ['pgjdbc', 'pgjdbc:pooler-safe'],
  versions: '<1.22',
  reason:
    'before 1.22 pgbouncer restores a client\'s DateStyle on the shared server by re-applying the text it logged in with; pgjdbc logs in with DateStyle=ISO, which sets only the output format, so the field order another client set (DMY) stays in effect for it: SHOW DateStyle says "ISO, DMY" where PostgreSQL says "ISO, MDY"',
  link: 'https://github.com/pgbouncer/pgbouncer/pull/879',
  source: 'issue',
  divergence: [{ kind: 'rows' }, { kind: 'parameter-status' }],
};

/** Everything a transaction-pooled server shares between clients. */
/**
 * The pinning map (suites/stress/pinning.ts): what keeps a client on its server in transaction
 * and statement pooling, so that another client of the one-server pool waits. Observed on 1.18.0
 * (bookworm), raw: an open transaction, a COPY in progress and an extended batch before its Sync
 * (pgbouncer releases a server only at ReadyForQuery "idle"); SQL PREPARE, Parse of a named
 * statement, a temporary table, nextval() and a WITH HOLD cursor do not pin (the server goes to
 * the next client with them, which the session-state scenarios show as leaks).
 */
const pinsUntilReady = (scenarios: readonly string[]): ProfileEntry => ({
  scenarios,
  reason:
    'pgbouncer gives the server back to the pool only when it reports ReadyForQuery idle: an open transaction, a COPY in progress or an extended-protocol batch awaiting its Sync keeps the client on it, and another client of a one-server pool waits; PostgreSQL gives each client its own backend',
  link: FEATURES,
  source: 'observed',
  divergence: { kind: 'no-answer' },
});

const TRANSACTION_POOLING: readonly ProfileEntry[] = [
  {
    scenarios: ['stress/session-state-under-load'],
    reason:
      'feature map: SET/RESET, SQL PREPARE, temporary tables and session-level advisory locks "Never" in transaction pooling: with clients outnumbering servers, each transaction gets whichever server is free, holding what earlier clients left there (settings, statements, tables, locks, the sequence\'s last value)',
    link: FEATURES,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: [
      'session-state/set-visible-to-next-client',
      'session-state/set-overwritten-by-other-client',
      'session-state/reset-all-by-other-client',
      'session-state/set-role-visible-to-next-client',
      'session-state/set-role-reset-by-other-client',
      'session-state/custom-setting-visible-to-next-client',
      'session-state/custom-setting-local-leaves-nothing-for-next-client',
      'session-state/discard-all-by-other-client',
      'parameter-status/extra-float-digits-kept-per-client',
      'parameter-status/statement-timeout-kept-per-client',
      'abnormal-exits/abrupt-close-after-set',
      'abnormal-exits/abrupt-close-after-set-role',
      'session-state/set-not-inherited-after-disconnect',
    ],
    reason: 'feature map: SET/RESET "Never" in transaction pooling; the setting stays on the shared server connection',
    link: FEATURES,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['session-state/set-session-authorization-visible-to-next-client'],
    versions: '<1.26',
    reason:
      'feature map: SET/RESET "Never" in transaction pooling; session_authorization stays on the shared server connection (1.26 tracks it per client)',
    link: CHANGELOG,
    divergence: { kind: 'rows' },
  },
  {
    // 1.26 tracks every parameter the server reports that a client can set; PostgreSQL reports
    // search_path from 18 on.
    scenarios: ['session-state/search-path-visible-to-next-client', 'session-state/search-path-lost-to-other-client'],
    versions: '<1.26',
    reason: 'feature map: SET/RESET "Never" in transaction pooling; search_path stays on the shared server connection',
    link: FEATURES,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['session-state/search-path-visible-to-next-client', 'session-state/search-path-lost-to-other-client'],
    versions: '>=1.26',
    postgres: '<18',
    reason:
      'pgbouncer 1.26 tracks search_path per client only where the server reports it, which PostgreSQL does from 18 on: on older servers it stays on the shared server connection',
    link: CHANGELOG,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['session-state/application-name-visible-to-next-client'],
    versions: '<1.22',
    // postgres.js sends application_name in its StartupMessage and pgjdbc SETs one after login;
    // pgbouncer restores a client's known value on every server it gets. raw, pg, psycopg and
    // asyncpg (without an application name configured) have none, so nothing is restored.
    // pgx and tokio-postgres send none either; ruby-pg's libpq sends the script's name
    // (fallback_application_name), which pgbouncer restores.
    drivers: [
      'raw',
      'pg',
      'psycopg',
      'psycopg:pooler-safe',
      'asyncpg',
      'asyncpg:pooler-safe',
      'pgx',
      'pgx:pooler-safe',
      'tokio-postgres',
      'tokio-postgres:pooler-safe',
    ],
    reason:
      'SET application_name stays on the shared server; pgbouncer only re-applies the value a client sent at startup, and before 1.22 not an empty one (pgbouncer#999)',
    link: 'https://github.com/pgbouncer/pgbouncer/issues/993',
    source: 'issue',
    divergence: { kind: 'rows' },
  },
  {
    // Drivers that send an empty application_name (or none, read as empty by the scenario);
    // postgres.js sends its own name, pgjdbc none at all (skipped).
    scenarios: ['session-state/application-name-empty-at-startup'],
    versions: '<1.22',
    drivers: [
      'raw',
      'pg',
      'libpq',
      'psycopg',
      'asyncpg',
      'asyncpg:pooler-safe',
      'pgx',
      'pgx:pooler-safe',
      'ruby-pg',
      'ruby-pg:pooler-safe',
      'pdo-pgsql',
      'pdo-pgsql:pooler-safe',
      'tokio-postgres',
      'tokio-postgres:pooler-safe',
    ],
    reason:
      "before 1.22 pgbouncer drops an empty application_name from a client's StartupMessage, so the next client that starts with an empty one gets the name the previous client SET on the shared server (fixed by pgbouncer#999)",
    link: 'https://github.com/pgbouncer/pgbouncer/issues/993',
    source: 'issue',
    divergence: { kind: 'rows' },
  },
  {
    scenarios: [
      'session-state/temp-table-visible-to-next-client',
      'session-state/temp-table-collides-with-next-client',
      'session-state/temp-table-dropped-at-disconnect',
      'session-objects/temp-table-delete-rows-invisible-to-other-client',
      'session-objects/temp-table-preserve-rows-kept-while-other-client-works',
      'abnormal-exits/abrupt-close-drops-temp-table',
    ],
    reason: 'feature map: PRESERVE/DELETE ROWS temp tables "Never" in transaction pooling; the table belongs to the shared server session',
    link: FEATURES,
    divergence: [{ kind: 'error', sqlstate: '42P01' }, { kind: 'error', sqlstate: '42P07' }, { kind: 'no-error' }, { kind: 'ground-truth' }],
  },
  {
    scenarios: [
      'session-state/advisory-lock-held-against-other-client',
      'session-state/advisory-lock-unlock-by-other-client',
      'session-state/advisory-lock-released-at-disconnect',
      'session-objects/session-advisory-lock-unlocked-while-other-client-works',
      'abnormal-exits/abrupt-close-releases-session-advisory-lock',
    ],
    reason: 'feature map: session-level advisory locks "Never" in transaction pooling; the lock is held by the shared server session',
    link: FEATURES,
    divergence: [{ kind: 'rows' }, { kind: 'ground-truth' }],
  },
  {
    scenarios: [
      'session-state/notify-reaches-listener',
      'session-state/notify-not-delivered-to-non-listener',
      'session-state/listen-survives-between-transactions',
      'backend-pid/notification-pid-is-notifiers-backend',
      'session-objects/unlisten-stops-delivery',
      'abnormal-exits/abrupt-close-ends-listen',
    ],
    reason:
      'feature map: LISTEN "Never" in transaction pooling; the listening server may be handed to another client, and notifications arriving while no client is linked are dropped',
    link: FEATURES,
    divergence: [{ kind: 'notification' }, { kind: 'rows' }],
  },
  {
    scenarios: [
      'prepared-statements/named-statement-invisible-to-other-client',
      'prepared-statements/named-same-name-in-two-clients',
      'prepared-statements/named-reused-in-later-transaction',
      'prepared-statements/deallocate-all-spares-other-clients-protocol-statement',
      'prepared-statements/deallocate-name-of-other-clients-protocol-statement',
      'prepared-statements/describe-other-clients-statement',
      'prepared-statements/close-by-other-client-spares-statement',
      'prepared-statements/same-name-other-text-each-client-keeps-its-own',
      'prepared-statements/skipped-bind-of-named-statement-while-other-client-in-transaction',
    ],
    ...UNTRACKED,
    reason:
      'feature map: protocol-level prepared plans "No" in transaction pooling before 1.21 (and with max_prepared_statements=0 since): statements live on whichever server the client had',
    link: FEATURES,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'error', sqlstate: '42P05' }, { kind: 'no-error' }, { kind: 'rows' }],
  },
  {
    scenarios: [
      'prepared-statements/unnamed-statement-survives-sync',
      'prepared-statements/unnamed-statement-not-replaced-by-other-client',
      'prepared-statements/unnamed-statements-of-two-clients-kept-apart',
      'prepared-statements/unnamed-describe-in-later-segment-and-on-new-session',
    ],
    reason:
      'the unnamed statement is never tracked (max_prepared_statements covers named ones): it lives on whichever server the client had, where the next client binds or describes it as its own',
    link: 'https://www.pgbouncer.org/config.html#max_prepared_statements',
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'rows' }, { kind: 'no-error' }],
  },
  {
    // pgbouncer answers these itself: its code disconnects a client that binds or describes a
    // name it has no record of, or parses a name it already has (src/prepare.c).
    scenarios: [
      'prepared-statements/named-statement-invisible-to-other-client',
      'prepared-statements/describe-other-clients-statement',
      'prepared-statements/describe-then-close-named-statement',
      'prepared-statements/sql-prepared-bound-over-protocol',
      'prepared-statements/parse-same-name-twice-fails',
      'prepared-statements/unnamed-portal-describe-and-bind-errors',
    ],
    ...TRACKED,
    reason:
      'with prepared statements tracked, pgbouncer closes the connection (FATAL 08P01 "prepared statement did not exist" or "name is already in use") where PostgreSQL answers 26000 or 42P05 and the session goes on; a statement made by SQL PREPARE is unknown to it',
    link: 'https://github.com/pgbouncer/pgbouncer/pull/845',
    source: 'issue',
    divergence: { kind: 'closed', sqlstate: '08P01' },
  },
  {
    scenarios: ['prepared-statements/protocol-statement-visible-to-sql'],
    ...TRACKED,
    reason:
      "with prepared statements tracked, pgbouncer prepares the client's statement on the server under its own name (PGBOUNCER_n), so pg_prepared_statements and EXECUTE do not know the client's name",
    link: 'https://github.com/pgbouncer/pgbouncer/issues/1008',
    source: 'issue',
    divergence: { kind: 'rows' },
  },
  {
    scenarios: [
      'prepared-statements/sql-execute-from-other-client',
      'prepared-statements/sql-prepare-same-name-in-two-clients',
      'prepared-statements/sql-prepared-reused-in-later-transaction',
      'prepared-statements/deallocate-all-spares-other-clients-sql-statement',
      'prepared-statements/deallocate-name-of-other-clients-sql-statement',
      'abnormal-exits/abrupt-close-drops-sql-prepared-statement',
    ],
    reason: 'feature map: PREPARE / DEALLOCATE "Never" in transaction pooling',
    link: FEATURES,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'error', sqlstate: '42P05' }, { kind: 'no-error' }],
  },
  {
    scenarios: [
      'sequences/currval-sees-other-clients-nextval',
      'sequences/currval-before-nextval-fails',
      'sequences/lastval-sees-other-clients-nextval',
      'sequences/lastval-before-nextval-fails',
      'sequences/setval-currval-after-other-client-nextval',
      'sequences/setval-uncalled-leaves-currval-undefined',
      'sequences/case-currval-after-other-clients-commit',
    ],
    reason:
      'currval/lastval are session state of the server connection; transaction pooling "breaks session-based features", so another client\'s nextval on the shared server shows through',
    link: FEATURES,
    divergence: [{ kind: 'rows' }, { kind: 'no-error' }],
  },
  {
    scenarios: [
      'session-objects/cursor-with-hold-invisible-to-other-client',
      'session-objects/cursor-with-hold-same-name-in-two-clients',
      'session-objects/cursor-with-hold-kept-while-other-client-works',
      'abnormal-exits/abrupt-close-closes-holdable-cursor',
    ],
    reason: 'feature map: WITH HOLD CURSOR "Never" in transaction pooling; the cursor outlives the transaction on the shared server connection',
    link: FEATURES,
    divergence: [{ kind: 'error', sqlstate: '34000' }, { kind: 'error', sqlstate: '42P03' }, { kind: 'no-error' }],
  },
  {
    scenarios: ['session-objects/load-invisible-to-other-client', 'session-objects/load-kept-by-its-client-while-others-come-and-go'],
    reason: 'feature map: LOAD statement "Never" in transaction pooling; the library stays loaded in the shared server session',
    link: FEATURES,
    divergence: { kind: 'no-error' },
  },
  {
    scenarios: ['parameter-status/intervalstyle-kept-per-client', 'drivers/cached-intervalstyle-matches-show-after-other-clients-set'],
    versions: '<1.20',
    reason:
      "IntervalStyle is not among the parameters pgbouncer tracks per client before 1.20 (the feature map's startup-parameter footnote); track_extra_parameters, which tracks it by default, arrived in 1.20",
    link: 'https://www.pgbouncer.org/config.html#track_extra_parameters',
    divergence: [{ kind: 'rows' }, { kind: 'parameter-status' }],
  },
  DATESTYLE_REAPPLIED,
  ...DRIVER_STATEMENTS,
  {
    scenarios: ['backend-pid/stable-across-transactions', 'backend-pid/concurrent-clients-distinct-pg-backend-pid'],
    reason:
      'a server connection is assigned to a client only for the duration of a transaction, so consecutive transactions may run on different backends',
    link: FEATURES,
    divergence: { kind: 'rows' },
  },
];

/** Statement pooling is transaction pooling that refuses transaction blocks. */
const NO_TRANSACTION_BLOCKS: ProfileEntry = {
  // Every scenario that leaves a BEGIN open across statements (a whole BEGIN; ...; COMMIT in
  // one query string is allowed: the transaction ends before ReadyForQuery, unless an error
  // stops it before its COMMIT, as in the scenario named here).
  scenarios: ['transactions/error-in-query-string-leaves-transaction-aborted'],
  traits: ['transaction-block'],
  reason: 'statement pooling: "multi-statement transactions are disallowed"; BEGIN gets 08P01 and the connection is closed',
  link: FEATURES,
  divergence: { kind: 'closed', sqlstate: '08P01' },
};

/** Server connections keep what they were set up with; pgbouncer reuses them across clients. */
const SERVER_SETUP_REUSED: ProfileEntry = {
  scenarios: ['parameter-status/alter-role-set-reaches-connection-opened-later'],
  reason:
    'role and database settings apply when a server connection logs in; pgbouncer hands the client a server connection opened before the ALTER ROLE (its RECONNECT command exists for "server connection setup has changed")',
  link: 'https://www.pgbouncer.org/usage.html#reconnect-db',
  divergence: { kind: 'rows' },
};

/** DISCARD ALL (server_reset_query) cannot unload a library. */
const LOAD_SURVIVES_RESET: ProfileEntry = {
  scenarios: ['session-objects/load-not-inherited-after-disconnect'],
  reason:
    "a library LOADed by one client stays loaded in the server session: the reset query (DISCARD ALL) cannot unload it, so the next client on that server connection knows the module's settings",
  link: 'https://www.postgresql.org/docs/current/sql-discard.html',
  source: 'observed',
  divergence: { kind: 'no-error' },
};

/**
 * pgbouncer answers the login itself, reporting the client's own StartupMessage values of the
 * parameters it tracks (client_encoding, DateStyle, TimeZone, standard_conforming_strings,
 * application_name) as they were sent, where PostgreSQL reports them normalised; and it
 * restores a client's value by re-applying that text.
 */
const STARTUP_VALUES_ECHOED: readonly ProfileEntry[] = [
  {
    // asyncpg logs in with client_encoding 'utf-8' (quotes included), pgjdbc with DateStyle ISO.
    scenarios: ['parameter-status/client-parameters-agree-with-show'],
    drivers: ['asyncpg', 'asyncpg:pooler-safe', 'pgjdbc', 'pgjdbc:pooler-safe'],
    reason:
      'pgbouncer reports the client\'s startup text back as ParameterStatus (asyncpg\'s client_encoding "\'utf-8\'" where PostgreSQL says UTF8, pgjdbc\'s DateStyle "ISO" where it says "ISO, MDY"), so the driver holds a value SHOW does not give',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
  {
    scenarios: ['parameter-status/client-encoding-kept-per-client'],
    drivers: ['asyncpg', 'asyncpg:pooler-safe'],
    reason: "pgbouncer reports asyncpg's startup client_encoding back verbatim (\"'utf-8'\"), while SHOW client_encoding says UTF8",
    link: 'https://www.postgresql.org/docs/current/multibyte.html#MULTIBYTE-AUTOMATIC-CONVERSION',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
  {
    // Measured on 1.18.0 (session pooling) and 1.24.1 (session and transaction pooling).
    scenarios: ['parameter-status/datestyle-kept-per-client'],
    drivers: ['pgjdbc', 'pgjdbc:pooler-safe'],
    reason:
      'pgbouncer answers pgjdbc\'s login with the DateStyle it sent ("ISO") as ParameterStatus, where PostgreSQL reports "ISO, MDY", so the driver holds "ISO" while SHOW DateStyle says "ISO, MDY"',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
];

const EVERY_MODE = [
  ...STARTUP_VALUES_ECHOED,
  SERVER_SETUP_REUSED,
  LOAD_SURVIVES_RESET,
  OWN_BACKEND_KEY,
  APPLICATION_NAME_RESET,
  UNTRACKED_STARTUP_PARAMETERS,
  LOGIN_FAILURE_CODE,
  TERMINATE_DROPS_PENDING_QUERY,
  CANCEL_CLIENT_GONE_CRASH,
  CANCEL_HANG_UP_CRASH,
];

// pgbouncer's "SQL feature map for pooling modes", by our feature ids; statement pooling has
// no column there. Until 1.21 protocol-level prepared plans were "No" in transaction pooling;
// from then on "Yes" where max_prepared_statements is not 0 (the page's footnote).
const SESSION_MAP = {
  'startup-parameters': 'Yes',
  'set-reset': 'Yes',
  listen: 'Yes',
  notify: 'Yes',
  'cursors-without-hold': 'Yes',
  'cursors-with-hold': 'Yes',
  'protocol-prepared-statements': 'Yes',
  'sql-prepare': 'Yes',
  'temp-tables-on-commit-drop': 'Yes',
  'temp-tables-preserve-delete-rows': 'Yes',
  'cached-plan-reset': 'Yes',
  load: 'Yes',
  'session-advisory-locks': 'Yes',
};
const TRANSACTION_MAP = {
  'startup-parameters': 'Yes',
  'set-reset': 'Never',
  listen: 'Never',
  notify: 'Yes',
  'cursors-without-hold': 'Yes',
  'cursors-with-hold': 'Never',
  'protocol-prepared-statements': 'No',
  'sql-prepare': 'Never',
  'temp-tables-on-commit-drop': 'Yes',
  'temp-tables-preserve-delete-rows': 'Never',
  'cached-plan-reset': 'Yes',
  load: 'Never',
  'session-advisory-locks': 'Never',
};
const TRANSACTION_MAP_SINCE_1_21 = {
  ...TRANSACTION_MAP,
  'protocol-prepared-statements': [{ settings: { max_prepared_statements: { not: '0' } }, value: 'Yes' }, { value: 'No' }],
};

export const pgbouncerProfile: Profile = {
  pooler: 'pgbouncer',
  checked: ['1.18.0', '1.24.1', '1.26.1'],
  publishedFeatureMaps: [
    { link: FEATURES, versions: '<1.21', modes: { session: SESSION_MAP, transaction: TRANSACTION_MAP } },
    { link: FEATURES, versions: '>=1.21', modes: { session: SESSION_MAP, transaction: TRANSACTION_MAP_SINCE_1_21 } },
  ],
  modes: {
    session: [...EVERY_MODE, ...protocolEdges.session, ...queueAndStartupEntries.session, ...ROLES_AND_SERVER_ENDS.session],
    transaction: [
      ...EVERY_MODE,
      ...TRANSACTION_POOLING,
      pinsUntilReady(['stress/pinning-after-copy-in', 'stress/pinning-after-flush', 'stress/pinning-after-open-transaction']),
      ...protocolEdges.transaction,
      ...queueAndStartupEntries.transaction,
      ...ROLES_AND_SERVER_ENDS.transaction,
    ],
    statement: [
      ...EVERY_MODE,
      ...TRANSACTION_POOLING,
      NO_TRANSACTION_BLOCKS,
      pinsUntilReady(['stress/pinning-after-copy-in', 'stress/pinning-after-flush']),
      ...protocolEdges.statement,
      ...queueAndStartupEntries.statement,
      ...ROLES_AND_SERVER_ENDS.statement,
    ],
  },
};
