// What Odyssey's documentation says differs from PostgreSQL, per pooling mode, and what its
// tracker or a poolcheck run showed where the docs are silent. Checked by runs against 1.5.2
// (Debian sid; PostgreSQL 18 in the sid images, 15 through --odyssey-bin): session pooling,
// transaction pooling with its 1.5 defaults (pool_reserve_prepared_statement on, smart discard
// after every transaction) and transaction pooling with prepared-statement support off (then
// DISCARD ALL after every transaction).
//
// Odyssey publishes no feature table; its pooling page says only that "transaction pooling does
// not preserve session state between transactions". What that means in practice is what its
// reset does when a transaction ends: with smart discard it runs the parts of DISCARD ALL
// except DEALLOCATE ALL (settings, temp tables, advisory locks, LISTEN, sequences, cursors, plans
// go), with pool_discard the whole of it (the client's prepared statements go too).
import type { Profile, ProfileEntry } from '../profile.ts';
import { protocolEdges } from './protocol-edges.ts';
import { queueAndStartupEntries } from './queue-and-startup.ts';
import { ROLES_AND_SERVER_ENDS } from './roles-and-server-ends.ts';

const POOLING = 'https://github.com/yandex/odyssey/blob/master/docs/features/pooling.md';
const RULES = 'https://github.com/yandex/odyssey/blob/master/docs/configuration/rules.md';
const ISSUES = 'https://github.com/yandex/odyssey/issues';

/** Prepared statements kept per client and prepared on whatever server it gets (1.5 default). */
const RESERVED = { settings: { pool_reserve_prepared_statement: 'yes' } } as const;
/** Statements live on the server connection, and DISCARD ALL ends them with each transaction. */
const NOT_RESERVED = { settings: { pool_reserve_prepared_statement: 'no', pool_discard: 'yes' } } as const;

// ---- Every mode ----------------------------------------------------------------------------

const OWN_BACKEND_KEY: ProfileEntry = {
  scenarios: [
    'backend-pid/key-data-pid-is-pg-backend-pid',
    'backend-pid/pg-stat-activity-pid-is-key-data-pid',
    'drivers/reported-pid-is-pg-backend-pid-on-reused-server',
    'drivers/terminate-by-reported-pid-ends-the-session',
  ],
  reason:
    "Odyssey answers the login itself and sends every client a BackendKeyData of its own (built from its client id), in session pooling too, so the pid a driver reports is no backend's; cancel goes through Odyssey and still works",
  link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS',
  source: 'observed',
  divergence: { kind: 'rows' },
};

const SERVER_SETUP_REUSED: ProfileEntry = {
  scenarios: ['parameter-status/alter-role-set-reaches-connection-opened-later'],
  reason:
    'role and database settings apply when a server connection logs in; Odyssey hands the client a pooled server connection opened before the ALTER ROLE (servers live for server_lifetime, an hour by default)',
  link: RULES,
  divergence: { kind: 'rows' },
};

const APPLICATION_NAME_RESET: ProfileEntry = {
  scenarios: ['parameter-status/application-name-reset-to-startup-value', 'parameter-status/reset-all-restores-startup-application-name'],
  reason:
    "Odyssey opens server connections without the client's application_name and applies the client's startup parameters with SET afterwards (maintain_params), so RESET returns to the server's empty value",
  link: RULES,
  divergence: [{ kind: 'rows' }, { kind: 'parameter-status' }],
};

const STARTUP_PARAMETERS_DROPPED: ProfileEntry = {
  scenarios: ['auth-transport/startup-extra-float-digits', 'auth-transport/startup-custom-setting'],
  reason:
    'Odyssey re-applies only the startup parameters it tracks on the server it gives a client; extra_float_digits and a custom (dotted) setting sent in the StartupMessage are dropped (the "options" parameter is passed on)',
  link: RULES,
  divergence: [{ kind: 'rows' }, { kind: 'error', sqlstate: '42704' }],
};

const LOGIN_FAILURE_CODE: ProfileEntry = {
  scenarios: ['auth-transport/wrong-password-refused'],
  reason:
    'a failed login through Odyssey is 28000 (invalid_authorization_specification, "incorrect password"), not PostgreSQL\'s 28P01 (invalid_password)',
  link: 'https://www.postgresql.org/docs/current/errcodes-appendix.html',
  source: 'observed',
  divergence: { kind: 'sqlstate', sqlstate: '28000' },
};

const PARAMETER_STATUS_AT_LOGIN: readonly ProfileEntry[] = [
  {
    scenarios: ['parameter-status/server-parameters-agree-with-show'],
    reason:
      'Odyssey answers the login with the ParameterStatus set it keeps for the route, which lacks in_hot_standby (reported by PostgreSQL 14 and later), so a client cannot tell a standby from a primary',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
  {
    // asyncpg logs in with client_encoding 'utf-8' (quotes included), pgjdbc with DateStyle ISO.
    scenarios: ['parameter-status/client-parameters-agree-with-show'],
    drivers: ['asyncpg', 'asyncpg:pooler-safe', 'pgjdbc', 'pgjdbc:pooler-safe'],
    reason:
      'Odyssey reports the client\'s startup text back as ParameterStatus (asyncpg\'s client_encoding "\'utf-8\'" where PostgreSQL says UTF8, pgjdbc\'s DateStyle "ISO" where it says "ISO, MDY"), so the driver holds a value SHOW does not give',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
  {
    scenarios: ['parameter-status/client-encoding-kept-per-client'],
    drivers: ['asyncpg', 'asyncpg:pooler-safe'],
    reason: "Odyssey reports asyncpg's startup client_encoding back verbatim (\"'utf-8'\"), while SHOW client_encoding says UTF8",
    link: 'https://www.postgresql.org/docs/current/multibyte.html#MULTIBYTE-AUTOMATIC-CONVERSION',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
  {
    // Measured on 1.5.2 (PostgreSQL 18), session and transaction pooling alike: the first
    // difference is the ParameterStatus the driver holds, never the rows SHOW returns.
    scenarios: ['parameter-status/datestyle-kept-per-client'],
    drivers: ['pgjdbc', 'pgjdbc:pooler-safe'],
    reason:
      'Odyssey reports pgjdbc\'s startup DateStyle back verbatim ("ISO") as ParameterStatus, where PostgreSQL reports the whole setting ("ISO, MDY"), so the driver holds "ISO" while SHOW DateStyle says "ISO, MDY"',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC',
    source: 'observed',
    divergence: { kind: 'parameter-status' },
  },
];

const LOAD_SURVIVES_RESET: ProfileEntry = {
  scenarios: ['session-objects/load-not-inherited-after-disconnect'],
  reason:
    "a library LOADed by one client stays loaded in the server session: no reset (DISCARD ALL or smart discard) can unload it, so the next client on that server connection knows the module's settings",
  link: 'https://www.postgresql.org/docs/current/sql-discard.html',
  source: 'observed',
  divergence: { kind: 'no-error' },
};

// The same defect is filed against YugabyteDB's YSQL Connection Manager, which is derived from
// Odyssey: https://github.com/yugabyte/yugabyte-db/issues/33915.
const QUERY_SKIPPED_BEFORE_SYNC: ProfileEntry = {
  // A defect, not one scenario's: it shows wherever a client pipelines a simple Query behind an
  // extended-protocol message that fails (protocol-framing/error-mid-pipeline-skips-until-sync,
  // protocol-framing/case-query-discarded-until-sync, and whatever scenario does it next).
  scenarios: '**',
  defect: 'a Query skipped before Sync is awaited forever',
  reason:
    'a simple Query pipelined after a failing extended-protocol message is skipped by PostgreSQL (it discards everything until Sync), but Odyssey still counts it as a request awaiting ReadyForQuery: the answer to the Sync is never forwarded and the client waits forever',
  link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
  source: 'observed',
  divergence: { kind: 'no-answer', step: '\\b(Parse|Bind|Execute)\\b.*\\bQuery\\b.*\\bSync\\b' },
};

const EVERY_MODE = [
  OWN_BACKEND_KEY,
  SERVER_SETUP_REUSED,
  APPLICATION_NAME_RESET,
  STARTUP_PARAMETERS_DROPPED,
  LOGIN_FAILURE_CODE,
  ...PARAMETER_STATUS_AT_LOGIN,
  LOAD_SURVIVES_RESET,
  QUERY_SKIPPED_BEFORE_SYNC,
];

// ---- Transaction pooling -------------------------------------------------------------------

/** What the reset after every transaction ends, whichever way it resets. */
const SESSION_STATE_RESET: readonly ProfileEntry[] = [
  {
    // Not yet run against Odyssey (the stress family is opt-in): a pass is no news until it is.
    scenarios: ['stress/session-state-under-load'],
    optional: true,
    reason:
      'transaction pooling "does not preserve session state between transactions": with clients outnumbering servers, a client\'s setting, statement, temporary table, advisory lock and currval stay on the server it used, which the next transaction of another client may get, or are gone when its own next transaction lands elsewhere',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: [
      'session-state/set-visible-to-next-client',
      'session-state/set-overwritten-by-other-client',
      'session-state/reset-all-by-other-client',
      'session-state/set-in-committed-transaction-persists',
      'session-state/set-survives-later-transactions',
      'session-state/set-config-behaves-like-set',
      'session-state/set-config-value-from-subquery',
      'session-state/reset-in-committed-transaction-persists',
      'session-state/set-role-visible-to-next-client',
      'session-state/set-role-reset-by-other-client',
      'session-state/set-session-authorization-visible-to-next-client',
      'session-state/custom-setting-visible-to-next-client',
      'session-state/custom-setting-local-leaves-nothing-for-next-client',
      'session-state/discard-all-by-other-client',
      'parameter-status/extra-float-digits-kept-per-client',
      'parameter-status/intervalstyle-kept-per-client',
      'abnormal-exits/abrupt-close-after-set-role',
    ],
    reason:
      'transaction pooling "does not preserve session state between transactions": a SET lasts until the transaction ends, then the reset returns the server to its defaults (only the parameters Odyssey tracks from the client\'s startup are re-applied)',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    // Seen with PostgreSQL 15 (--odyssey-bin with the local provider); with 18 it is kept.
    scenarios: ['session-state/search-path-visible-to-next-client', 'session-state/search-path-lost-to-other-client'],
    postgres: '<18',
    reason:
      "Odyssey re-applies a client's parameters on the server it gets only for those the server reports in ParameterStatus; PostgreSQL reports search_path from 18 on, so on older servers the client's search_path is lost with its transaction",
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['parameter-status/statement-timeout-kept-per-client'],
    reason:
      'transaction pooling "does not preserve session state between transactions": the client\'s statement_timeout is gone in its next transaction, so the statement it should have stopped runs on',
    link: POOLING,
    divergence: { kind: 'no-answer' },
  },
  {
    scenarios: ['parameter-status/reset-reported', 'parameter-status/reset-all-reported'],
    reason:
      "the client's RESET runs on a server the reset already returned to its defaults, so PostgreSQL has no change to report and the client keeps the value it was told before",
    link: POOLING,
    divergence: { kind: 'parameter-status' },
  },
  {
    scenarios: [
      'session-state/temp-table-visible-to-next-client',
      'session-state/temp-table-collides-with-next-client',
      'session-state/temp-table-dropped-at-disconnect',
      'session-objects/temp-table-on-commit-delete-rows',
      'session-objects/temp-table-preserve-rows-kept-while-other-client-works',
      'abnormal-exits/abrupt-close-drops-temp-table',
      'protocol-framing/copy-freeze-refused-as-psql-sends-it',
    ],
    reason:
      'transaction pooling "does not preserve session state between transactions", "temporary tables are not supported": the reset drops the client\'s temporary table when its transaction ends',
    link: POOLING,
    // 42P01 where PostgreSQL answers without error, or with another error (COPY FREEZE's 55000).
    divergence: [
      { kind: 'error', sqlstate: '42P01' },
      { kind: 'sqlstate', sqlstate: '42P01' },
    ],
  },
  {
    scenarios: [
      'session-state/advisory-lock-held-against-other-client',
      'session-state/advisory-lock-unlock-by-other-client',
      'session-state/advisory-lock-released-at-disconnect',
      'session-objects/session-advisory-lock-kept-across-transactions',
      'session-objects/session-advisory-lock-survives-rollback',
      'session-objects/session-advisory-lock-unlocked-while-other-client-works',
      'abnormal-exits/abrupt-close-releases-session-advisory-lock',
    ],
    reason:
      'transaction pooling "does not preserve session state between transactions": the reset releases the client\'s session advisory locks when its transaction ends',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: [
      'session-state/notify-reaches-listener',
      'session-state/notify-not-delivered-to-non-listener',
      'session-state/listen-survives-between-transactions',
      'session-objects/notify-delivered-in-commit-order',
      'session-objects/notify-duplicates-folded-within-transaction',
      'session-objects/notify-in-rolled-back-transaction-not-delivered',
      'session-objects/notify-payload-delivered-intact',
      'session-objects/unlisten-stops-delivery',
      'session-objects/unlisten-all-clears-channels',
      'backend-pid/notification-pid-is-notifiers-backend',
    ],
    reason:
      'LISTEN does not work in transaction pooling: the reset ends it (UNLISTEN *) when the transaction ends, and a notification arriving while the client holds no server is not delivered',
    link: `${ISSUES}/365`,
    source: 'issue',
    divergence: [{ kind: 'notification' }, { kind: 'rows' }],
  },
  {
    scenarios: [
      'sequences/currval-sees-other-clients-nextval',
      'sequences/currval-in-later-transaction',
      'sequences/currval-after-commit',
      'sequences/currval-after-sequence-recreated',
      'sequences/lastval-in-later-transaction',
      'sequences/lastval-sees-other-clients-nextval',
      'sequences/nextval-in-rolled-back-transaction-stays-used',
      'sequences/setval-then-currval',
      'sequences/setval-currval-after-other-client-nextval',
      'sequences/case-currval-after-other-clients-commit',
    ],
    reason:
      'transaction pooling "does not preserve session state between transactions": the reset forgets the session\'s sequence values (DISCARD SEQUENCES), so currval and lastval after the transaction are undefined (55000)',
    link: POOLING,
    divergence: { kind: 'error', sqlstate: '55000' },
  },
  {
    scenarios: [
      'session-objects/cursor-with-hold-invisible-to-other-client',
      'session-objects/cursor-with-hold-same-name-in-two-clients',
      'session-objects/cursor-with-hold-kept-while-other-client-works',
      'session-objects/cursor-with-hold-survives-commit',
    ],
    reason:
      'transaction pooling "does not preserve session state between transactions": the reset closes the client\'s WITH HOLD cursor when its transaction ends (34000)',
    link: POOLING,
    divergence: { kind: 'error', sqlstate: '34000' },
  },
  {
    scenarios: [
      'session-objects/load-invisible-to-other-client',
      'session-objects/load-makes-module-settings-known',
      'session-objects/load-kept-by-its-client-while-others-come-and-go',
    ],
    reason:
      "a LOADed library stays in the server session, which the next client gets; the client's own setting of the module is reset with its transaction",
    link: POOLING,
    divergence: [{ kind: 'no-error' }, { kind: 'rows' }],
  },
  {
    // Which idle server Odyssey gives b is a race: in one all-driver run on 1.5.2 (sid), ruby-pg's
    // b got a server of its own and a its old one back; the other 16 drivers diverged, as all 17
    // did in two runs before.
    scenarios: ['backend-pid/stable-across-transactions'],
    optional: true,
    reason: 'in transaction pooling a client holds a server only for one transaction, so its next transaction may run in another backend',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    // Two clients' transactions land in one backend only when one ends before the other starts
    // (pgjdbc's and pgx's logins were seen far enough apart for two backends).
    scenarios: ['backend-pid/concurrent-clients-distinct-pg-backend-pid'],
    optional: true,
    reason:
      'in transaction pooling a client holds a server only for one transaction: two clients whose transactions do not overlap may be served by the same backend',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    // The client's next transaction lands on the backend it SET application_name in whenever
    // that one is idle for it (pgx pooler-safe, once in an all-driver run of 1.5.2).
    scenarios: ['backend-pid/pg-stat-activity-application-name-is-clients'],
    optional: true,
    reason:
      "in transaction pooling a client holds a server only for one transaction, so its next transaction may run in another backend, whose pg_stat_activity row is not the client's",
    link: POOLING,
    divergence: { kind: 'rows' },
  },
];

const SQL_PREPARE_STAYS =
  'prepared-statement support covers protocol-level statements only: a SQL PREPARE lives on the server the client had (smart discard leaves it there), where the next client finds it and the client itself may not';

/** Prepared-statement support on (the 1.5 default), with smart discard. */
const PREPARED_STATEMENTS_RESERVED: readonly ProfileEntry[] = [
  {
    // Smart discard is DISCARD ALL without DEALLOCATE ALL: SQL-level statements stay on the server.
    scenarios: [
      'prepared-statements/sql-execute-from-other-client',
      'prepared-statements/sql-prepare-same-name-in-two-clients',
      'abnormal-exits/abrupt-close-drops-sql-prepared-statement',
    ],
    ...RESERVED,
    reason: SQL_PREPARE_STAYS,
    link: `${RULES}#pool_smart_discard`,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'error', sqlstate: '42P05' }, { kind: 'no-error' }],
  },
  {
    // The client's next transaction runs on its old server connection whenever Odyssey has one
    // idle for it (2 of the 19 drivers in one all-driver run of 1.5.2): then the EXECUTE works.
    scenarios: ['prepared-statements/sql-prepared-reused-in-later-transaction'],
    ...RESERVED,
    optional: true,
    reason: SQL_PREPARE_STAYS,
    link: `${RULES}#pool_smart_discard`,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    scenarios: [
      'prepared-statements/deallocate-name-of-other-clients-sql-statement',
      'prepared-statements/deallocate-name-of-other-clients-protocol-statement',
    ],
    ...RESERVED,
    reason:
      "with prepared-statement support Odyssey answers DEALLOCATE itself: it forgets the name in the client's own table and reports success even for a name the client never prepared, where PostgreSQL says 26000",
    link: `${RULES}#pool_reserve_prepared_statement`,
    divergence: { kind: 'no-error' },
  },
  {
    scenarios: ['prepared-statements/sql-deallocate-prepare-drops-statement'],
    ...RESERVED,
    reason:
      "with prepared-statement support Odyssey answers DEALLOCATE PREPARE itself (it forgets the name in the client's own table): a statement made by SQL PREPARE stays on the server, and pg_prepared_statements still lists it after the DEALLOCATE",
    link: `${RULES}#pool_reserve_prepared_statement`,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['prepared-statements/protocol-statement-visible-to-sql', 'prepared-statements/sql-prepared-bound-over-protocol'],
    ...RESERVED,
    reason:
      "with prepared-statement support a client's protocol-level statement is prepared on the server under Odyssey's own name, so pg_prepared_statements and EXECUTE do not know the client's name, and a Bind names only statements Odyssey saw parsed (not one made by SQL PREPARE: 26000)",
    link: `${RULES}#pool_reserve_prepared_statement`,
    divergence: [{ kind: 'rows' }, { kind: 'error', sqlstate: '26000' }],
  },
  {
    // Found by poolcheck; reproduced without Odyssey by Parse "FETCH 1 FROM c" while cursor c
    // exists, CLOSE c, then Describe of that statement: PostgreSQL 18.6 dereferences the missing
    // portal (FetchStatementTargetList) where 17 and 15 answer 34000.
    scenarios: ['session-objects/cursor-without-hold-closed-at-commit', 'session-objects/cursor-with-hold-survives-commit'],
    drivers: ['asyncpg:pooler-safe'],
    ...RESERVED,
    // Measured on 18.6; the case postgres-bugs/case-describe-fetch-of-closed-cursor tells a
    // release that no longer crashes.
    postgres: '>=18',
    reason:
      'with prepared-statement support Odyssey keeps one server statement per query text across transactions and sends only a Describe when a client parses that text again; for a FETCH whose cursor is gone that Describe crashes the PostgreSQL 18.6 backend (SIGSEGV, in the server log), where the client alone, or Odyssey with the reserve off, gets 34000',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: { kind: 'crash' },
  },
  // Found with the raw client (cancel mid-pipeline) and pgjdbc (a multi-statement string is one
  // pipeline to it); not with the reserve off, where Odyssey forwards without planning.
  ...(
    [
      ['cancel/mid-pipeline-rolls-back-pipeline', ['raw']],
      ['prepared-statements/bind-and-execute-errors-keep-statement', ['raw']],
      ['prepared-statements/unnamed-bind-and-execute-errors-keep-statement', ['raw']],
      ['transactions/error-in-query-string-leaves-transaction-aborted', ['pgjdbc', 'pgjdbc:pooler-safe']],
    ] as const
  ).map(([scenario, drivers]): ProfileEntry => ({
    scenarios: [scenario],
    drivers,
    ...RESERVED,
    reason:
      "with prepared-statement support Odyssey plans each pipelined message; after an error mid-pipeline (a failed statement, a cancelled one) the rest of the pipeline is skipped by PostgreSQL but still awaited by Odyssey, and the client's next query gets no answer",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING',
    source: 'observed',
    divergence: { kind: 'no-answer' },
  })),
];

const STATEMENTS_DISCARDED =
  'without prepared-statement support "transaction pooling does not preserve session state between transactions": pool_discard runs DISCARD ALL when the transaction ends, so every prepared statement (protocol-level or SQL) is gone in the client\'s next transaction (26000), and one parsed twice in one transaction is parsed on two servers';

/** Prepared-statement support off: DISCARD ALL after every transaction. */
const PREPARED_STATEMENTS_DISCARDED: readonly ProfileEntry[] = [
  {
    scenarios: [
      'prepared-statements/named-reused-in-later-transaction',
      'prepared-statements/named-survives-failed-transaction',
      'prepared-statements/unnamed-statement-survives-sync',
      'prepared-statements/unnamed-statement-not-replaced-by-other-client',
      'prepared-statements/deallocate-all-spares-other-clients-protocol-statement',
      'prepared-statements/deallocate-name-of-other-clients-protocol-statement',
      'prepared-statements/describe-then-close-named-statement',
      'prepared-statements/close-by-other-client-spares-statement',
      'prepared-statements/same-name-other-text-each-client-keeps-its-own',
      'prepared-statements/more-named-statements-than-the-pool-keeps',
      'prepared-statements/bind-wrong-parameter-count',
      'prepared-statements/parse-same-name-twice-fails',
      'prepared-statements/protocol-statement-visible-to-sql',
      'prepared-statements/sql-prepared-bound-over-protocol',
      'prepared-statements/sql-execute-from-other-client',
      'prepared-statements/sql-prepare-same-name-in-two-clients',
      'prepared-statements/sql-prepared-reused-in-later-transaction',
      'prepared-statements/sql-prepare-survives-rollback',
      'prepared-statements/sql-prepared-survives-failed-transaction',
      'prepared-statements/sql-execute-wrong-parameter-count',
      'prepared-statements/deallocate-all-spares-other-clients-sql-statement',
      'prepared-statements/deallocate-name-of-other-clients-sql-statement',
      'abnormal-exits/abrupt-close-drops-sql-prepared-statement',
      'session-state/prepared-plan-replanned-after-other-clients-ddl',
    ],
    ...NOT_RESERVED,
    reason: STATEMENTS_DISCARDED,
    link: POOLING,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'sqlstate', sqlstate: '26000' }, { kind: 'no-error' }, { kind: 'rows' }],
  },
  // Where it shows depends on whether the driver prepares and executes in one transaction
  // (one Sync) or two: libpq's PQprepare is a transaction of its own.
  ...(
    [
      [['prepared-statements/named-same-name-in-two-clients'], ['libpq']],
      [['drivers/statement-cache-on-another-server-connection'], ['asyncpg', 'pgjdbc', 'postgres.js', 'psycopg']],
      [['drivers/statement-cache-after-other-client-used-the-server'], ['asyncpg', 'psycopg']],
      [['drivers/driver-prepares-past-its-threshold'], ['asyncpg', 'pgjdbc', 'psycopg']],
      [['drivers/cancel-prepared-query-keeps-statement'], ['postgres.js', 'psycopg']],
    ] as const
  ).map(([scenarios, drivers]): ProfileEntry => ({
    scenarios,
    drivers,
    ...NOT_RESERVED,
    reason: STATEMENTS_DISCARDED,
    link: POOLING,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'sqlstate', sqlstate: '26000' }, { kind: 'rows' }],
  })),
  {
    // asyncpg and postgres.js name every query and execute a cached one by name in a later
    // transaction: any scenario that runs a client's query twice.
    scenarios: '**',
    drivers: ['asyncpg', 'postgres.js'],
    optional: true,
    ...NOT_RESERVED,
    reason:
      "without prepared-statement support the driver's statement cache outlives DISCARD ALL: a query it runs again in a later transaction names a statement the server no longer has (26000)",
    link: POOLING,
    divergence: [
      { kind: 'error', sqlstate: '26000' },
      { kind: 'sqlstate', sqlstate: '26000' },
    ],
  },
];

// What Odyssey's pooling page (docs/features/pooling.md, the same text from 1.4.1 to 1.5.2 and
// master) says per feature: session pooling keeps "session-specific settings or temporary
// tables"; transaction pooling "does not preserve session state between transactions, so
// features like session variables or temporary tables are not supported" (temporary tables
// without distinction, ON COMMIT DROP ones included), "but you can use prepared statements"
// with pool_reserve_prepared_statement (the option covers protocol-level statements; the page
// says nothing of SQL PREPARE, nor of the other features, so they have no cell).
const PUBLISHED_MAP = {
  link: POOLING,
  versions: '>=1.4.1',
  modes: {
    session: { 'set-reset': 'Yes', 'temp-tables-on-commit-drop': 'Yes', 'temp-tables-preserve-delete-rows': 'Yes' },
    transaction: {
      'set-reset': 'not supported',
      'temp-tables-on-commit-drop': 'not supported',
      'temp-tables-preserve-delete-rows': 'not supported',
      'protocol-prepared-statements': [{ settings: { pool_reserve_prepared_statement: 'yes' }, value: 'can use' }],
    },
  },
} as const;

/**
 * The pinning map (suites/stress/pinning.ts), transaction pooling, observed on 1.5.2 (sid), raw:
 * a COPY in progress and an extended batch awaiting its Sync keep the client on its server, and
 * another client of the one-server pool waits; after a temporary table or a WITH HOLD cursor the
 * server goes to the other client and is reset (pool_smart_discard), so the client that made
 * them finds them gone (42P01, 34000). SQL PREPARE, Parse, nextval() and even a bare BEGIN do not
 * keep the server (Odyssey attaches one at the first statement of the transaction).
 */
const PINNING: readonly ProfileEntry[] = [
  {
    scenarios: ['stress/pinning-after-copy-in', 'stress/pinning-after-flush'],
    reason:
      'a COPY in progress or an extended-protocol batch awaiting its Sync keeps the client on its server until ReadyForQuery, so another client of a one-server pool waits; PostgreSQL gives each client its own backend',
    link: POOLING,
    source: 'observed',
    divergence: { kind: 'no-answer' },
  },
  {
    scenarios: ['stress/pinning-after-temp-table', 'stress/pinning-after-declare-cursor'],
    reason:
      'a temporary table or a WITH HOLD cursor does not keep the client on its server: the server serves the next client and is reset (pool_smart_discard) meanwhile, so the client that made them finds them gone (42P01, 34000)',
    link: POOLING,
    source: 'observed',
    divergence: [
      { kind: 'error', sqlstate: '42P01' },
      { kind: 'error', sqlstate: '34000' },
    ],
  },
];

export const odysseyProfile: Profile = {
  pooler: 'odyssey',
  checked: ['1.5.2'],
  publishedFeatureMaps: [PUBLISHED_MAP],
  modes: {
    session: [...EVERY_MODE, ...protocolEdges.session, ...queueAndStartupEntries.session, ...ROLES_AND_SERVER_ENDS.session],
    transaction: [
      ...EVERY_MODE,
      ...PINNING,
      ...SESSION_STATE_RESET,
      ...PREPARED_STATEMENTS_RESERVED,
      ...PREPARED_STATEMENTS_DISCARDED,
      ...protocolEdges.transaction,
      ...queueAndStartupEntries.transaction,
      ...ROLES_AND_SERVER_ENDS.transaction,
    ],
  },
};
