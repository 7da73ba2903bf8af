// Where pgpool-II in front of one backend (raw mode, connection cache) differs from PostgreSQL.
// Derived from runs of the whole catalogue against Debian bookworm's 4.3.5 (every driver), and
// trixie's 4.6.1 and sid's 4.7.3 (raw, pg and postgres.js), each entry checked in its
// transcripts. Its documentation promises session pooling (a client keeps one backend;
// reset_query_list cleans it for the next) and connection reuse for clients of the same user,
// database and parameters. The reset holds for what DISCARD ALL covers; what a reused backend
// keeps beyond it (role settings from its login, loaded libraries) reaches the next client. The
// rest is how pgpool itself handles the protocol, and the docs are silent on it: those entries
// cite pgpool's issue tracker (source 'issue') or, for what we found reported nowhere, the
// PostgreSQL behaviour pgpool misses (source 'observed').
import type { DriverId } from '../../drivers/registry.ts';
import type { Profile, ProfileEntry } from '../profile.ts';
import { protocolEdges } from './protocol-edges.ts';
import { queueAndStartupEntries } from './queue-and-startup.ts';
import { ROLES_AND_SERVER_ENDS } from './roles-and-server-ends.ts';

const ISSUES = 'https://github.com/pgpool/pgpool2/issues';

/**
 * Drivers that send even a statement without parameters through the extended protocol
 * (Parse/Bind/Execute/Sync). node-postgres, libpq and psycopg send it as a simple Query, which
 * pgpool forwards as it is.
 */
const EXTENDED_PROTOCOL_DRIVERS: DriverId[] = [
  'postgres.js',
  'asyncpg',
  'asyncpg:pooler-safe',
  'pgjdbc',
  'pgjdbc:pooler-safe',
  'pgx',
  'pdo-pgsql',
  'tokio-postgres',
];

/** Drivers that send PREPARE TRANSACTION and what follows it as a simple Query. */
const SIMPLE_QUERY_DRIVERS: DriverId[] = [
  'raw',
  'pg',
  'postgres.js:pooler-safe',
  'libpq',
  'psycopg',
  'psycopg:pooler-safe',
  'pgx:pooler-safe',
  'pdo-pgsql:pooler-safe',
  'tokio-postgres:pooler-safe',
  'ruby-pg',
  'ruby-pg:pooler-safe',
];

/**
 * pgpool bug: for an INSERT/UPDATE/DELETE (or SELECT ... FOR UPDATE, or a statement its parser
 * cannot read, which it treats as a write) that arrives by Parse outside a transaction block,
 * pgpool first sends BEGIN of its own and never ends it: the client gets ReadyForQuery 'T' where
 * PostgreSQL commits at Sync and says 'I'. The write stays invisible and its locks held; an
 * error turns the client's "implicit" transaction into an aborted block (25P02 until ROLLBACK);
 * at disconnect pgpool's reset (ABORT) rolls the write back. The transcripts show the 'T' and the
 * missing rows; PostgreSQL's statement log (log_statement = all) shows the BEGIN pgpool sends.
 */
const INTERNAL_BEGIN = `${ISSUES}/172`;

/**
 * The releases before the fixes for pgpool2#172 (Parse opens an internal transaction only in
 * replication mode) and pgpool2#174 (no Sync of pgpool's own before a pipelined Parse): both
 * were released on 2026-09-29 in 4.3.21, 4.4.18, 4.5.13, 4.6.8 and 4.7.3 (release notes of
 * those releases, e.g. https://www.pgpool.net/docs/latest/en/html/release-4-6-8.html).
 * Measured: 4.3.5 and 4.6.1 diverge, 4.7.3 does not (on PostgreSQL 17 and 18 alike).
 */
const BEFORE_PIPELINE_FIXES = '<4.3.21 || 4.4.0 - 4.4.17 || 4.5.0 - 4.5.12 || 4.6.0 - 4.6.7 || 4.7.0 - 4.7.2';

const INTERNAL_TRANSACTION: readonly ProfileEntry[] = [
  {
    scenarios: ['prepared-statements/named-statement-transaction-described-then-run'],
    drivers: ['raw'],
    reason:
      "pgpool bug: the Parse of an INSERT outside a transaction block opens a BEGIN of pgpool's own, so the ReadyForQuery ending that Sync reports T where PostgreSQL reports I",
    link: INTERNAL_BEGIN,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: { kind: 'messages' },
  },
  {
    scenarios: [
      'transactions/sync-commits-pipeline-segment',
      'transactions/pipeline-error-rolls-back-earlier-statement',
      'cancel/mid-pipeline-rolls-back-pipeline',
    ],
    drivers: ['raw'],
    reason:
      'pgpool bug: an INSERT sent by Parse outside a transaction block runs inside a BEGIN pgpool adds and never commits (ReadyForQuery T, not I), so Sync commits nothing and an error leaves the client in an aborted transaction (25P02)',
    link: INTERNAL_BEGIN,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: [{ kind: 'rows' }, { kind: 'error', sqlstate: '25P02' }],
  },
  {
    scenarios: ['protocol-framing/error-mid-pipeline-skips-until-sync'],
    drivers: ['raw'],
    reason:
      'pgpool bug: pgpool takes a statement its parser rejects for a write and opens its own BEGIN before it, so the syntax error leaves the client in an aborted transaction block (ReadyForQuery E, then 25P02) instead of idle',
    link: INTERNAL_BEGIN,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: { kind: 'error', sqlstate: '25P02' },
  },
  {
    scenarios: [
      'transactions/row-lock-held-until-commit',
      'session-objects/temp-table-on-commit-delete-rows',
      'abnormal-exits/abrupt-close-mid-transaction-rolls-back',
      'abnormal-exits/terminate-mid-transaction-rolls-back',
      // A DELETE refused for want of privilege leaves the role's next statement 25P02.
      'auth-transport/role-privileges-each-their-own',
    ],
    drivers: EXTENDED_PROTOCOL_DRIVERS,
    reason:
      'pgpool bug: a write this driver sends by Parse outside a transaction block runs inside a BEGIN pgpool adds and never commits: the row is never committed (lost at disconnect, never seen by other clients), ON COMMIT DELETE ROWS never fires, a failed FOR UPDATE NOWAIT leaves 25P02',
    link: INTERNAL_BEGIN,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: [{ kind: 'rows' }, { kind: 'error', sqlstate: '25P02' }],
  },
  {
    scenarios: ['transactions/query-string-error-rolls-back-earlier-statements'],
    drivers: ['pgjdbc', 'pgjdbc:pooler-safe'],
    reason:
      'pgpool bug: pgjdbc sends the statements of the string as one pipeline; pgpool wraps its INSERTs in a BEGIN of its own, so the failing statement leaves an aborted transaction block (25P02) instead of an implicit transaction rolled back at Sync',
    link: INTERNAL_BEGIN,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: { kind: 'error', sqlstate: '25P02' },
  },
];

/**
 * pgpool bug: before forwarding a Parse while the backend is not in a transaction block, pgpool
 * sends a Sync of its own, which commits the implicit transaction of the client's pipeline there.
 */
const INJECTED_SYNC: ProfileEntry[] = [
  {
    scenarios: ['transactions/pipeline-is-one-implicit-transaction'],
    drivers: ['raw'],
    reason:
      'pgpool bug: pgpool sends its own Sync before the second Parse of a pipeline, committing the implicit transaction early, so an ON COMMIT DROP temp table is gone before the statement that uses it (42P01)',
    link: `${ISSUES}/174`,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: { kind: 'error', sqlstate: '42P01' },
  },
  {
    scenarios: ['transactions/query-string-is-one-implicit-transaction'],
    drivers: ['pgjdbc', 'pgjdbc:pooler-safe'],
    reason:
      'pgpool bug: pgjdbc sends the statements of the string as one pipeline and pgpool splits it with a Sync of its own before the next Parse, so the ON COMMIT DROP temp table is dropped before it is used (42P01)',
    link: `${ISSUES}/174`,
    source: 'issue',
    versions: BEFORE_PIPELINE_FIXES,
    divergence: { kind: 'error', sqlstate: '42P01' },
  },
];

/**
 * pgpool bug: pgpool keeps its own record of prepared statements and ends the session with
 * FATAL XX000 ("unable to bind: cannot get parse message", "unable to execute Describe") when a
 * Bind or Describe names a statement it has no Parse for; PostgreSQL answers 26000 and goes on.
 */
const UNKNOWN_STATEMENT: ProfileEntry = {
  scenarios: [
    'prepared-statements/named-statement-invisible-to-other-client',
    'prepared-statements/describe-other-clients-statement',
    'prepared-statements/describe-then-close-named-statement',
    'prepared-statements/unnamed-portal-describe-and-bind-errors',
  ],
  // Bind: FATAL until "Prevent FATAL error when non-existing prepared statement is given",
  // released in 4.3.17, 4.4.14, 4.5.9, 4.6.4 and 4.7.0; Describe is still FATAL in 4.7.3.
  reason:
    'pgpool bug: a Bind or Describe of a statement name pgpool has not seen a Parse for (never prepared, or closed) gets XX000 where PostgreSQL returns 26000: a Describe is FATAL (the connection closes); a Bind is FATAL too before 4.3.17, 4.4.14, 4.5.9, 4.6.4 and 4.7.0, which answer it with ERROR XX000 and go on',
  link: `${ISSUES}/169`,
  source: 'issue',
  divergence: [
    { kind: 'closed', sqlstate: 'XX000' },
    { kind: 'sqlstate', sqlstate: 'XX000' },
  ],
};

/** pgpool bug: DISCARD ALL by Parse/Bind/Execute clears pgpool's own statement records mid-command. */
const EXTENDED_DISCARD_ALL: ProfileEntry = {
  scenarios: ['parameter-status/discard-all-reported', 'session-state/discard-all-by-other-client'],
  drivers: EXTENDED_PROTOCOL_DRIVERS,
  reason:
    'pgpool bug: DISCARD ALL sent through the extended protocol closes the client connection (postgres.js, asyncpg, pdo-pgsql) or fails with XX000 "setting db node for query to be sent, no query context" (pgjdbc, pgx, tokio-postgres)',
  link: `${ISSUES}/175`,
  source: 'issue',
  divergence: [{ kind: 'closed' }, { kind: 'error', sqlstate: 'XX000' }],
};

/**
 * pgpool bug, not in its tracker as far as we found: a failed PREPARE TRANSACTION ends the
 * transaction in PostgreSQL (ReadyForQuery I), but pgpool still counts the client in a failed
 * transaction and answers every later statement but ROLLBACK itself with 25P02 (the answer
 * pgpool has made up in failed transactions since 4.3.2: https://github.com/pgpool/pgpool2/issues/161).
 * Which releases do it, read from check_transaction_state_and_abort() in
 * src/protocol/pool_proto_modules.c at each release tag: from 4.3.6, 4.4.3 and 4.5.0 pgpool
 * answered 25P02 only while the backend itself reported a failed transaction ('E'), so the
 * client of a failed PREPARE TRANSACTION got PostgreSQL's answers (measured on 4.6.1); the fix
 * for empty queries in aborted transactions (pgpool2#161), released in 4.3.20, 4.4.17, 4.5.12,
 * 4.6.7 and 4.7.2, dropped that check again (measured on 4.7.3). On 4.3.5 the child then dies of
 * a segmentation fault when such a client disconnects, and each crash permanently lowers how
 * many clients pgpool admits (see CRASH_HEADROOM in the adapter); 4.7.3 does not crash.
 */
const FAILED_PREPARE_TRANSACTION: ProfileEntry = {
  scenarios: ['transactions/prepared-transaction-gid-in-use'],
  drivers: SIMPLE_QUERY_DRIVERS,
  versions: '4.3.2 - 4.3.5 || >=4.3.20 <4.4 || 4.4.0 - 4.4.2 || >=4.4.17 <4.5 || >=4.5.12 <4.6 || >=4.6.7 <4.7 || >=4.7.2',
  reason:
    'pgpool bug: after PREPARE TRANSACTION fails (42710) PostgreSQL has ended the transaction, but pgpool answers the next statements itself with 25P02 as if it were still aborted (releases 4.3.6 to 4.3.19, 4.4.3 to 4.4.16, 4.5.0 to 4.5.11, 4.6.0 to 4.6.6 and 4.7.0 to 4.7.1 do not); measured on 4.3.5, where the child then also crashes (SIGSEGV) when the client disconnects, and on 4.7.3, where it does not',
  link: 'https://www.postgresql.org/docs/current/sql-prepare-transaction.html',
  source: 'observed',
  divergence: { kind: 'sqlstate', sqlstate: '25P02' },
};

/**
 * pgpool authenticates clients itself (pool_hba.conf, pool_passwd:
 * https://www.pgpool.net/docs/43/en/html/auth-methods.html) and reports a wrong password with
 * its own ErrorResponse: severity ERROR, SQLSTATE XX000, "authentication failed". The docs do
 * not mention it, nor does pgpool's tracker as far as we found; clients that tell a bad password
 * (28P01) from other failures, e.g. to stop retrying, cannot.
 */
const OWN_AUTH_ERROR: ProfileEntry = {
  scenarios: ['auth-transport/wrong-password-refused'],
  reason:
    'pgpool answers the SCRAM exchange itself and reports a wrong password as ERROR XX000 "authentication failed", not FATAL 28P01 (invalid_password) as PostgreSQL does',
  link: 'https://www.postgresql.org/docs/current/errcodes-appendix.html',
  source: 'observed',
  divergence: { kind: 'sqlstate', sqlstate: 'XX000' },
};

/** What a backend keeps across clients (the single pool's child reuses its cached backend: adapter.ts). */
const REUSED_BACKEND: readonly ProfileEntry[] = [
  {
    scenarios: ['parameter-status/alter-role-set-reaches-connection-opened-later'],
    reason:
      'role and database settings apply when a backend logs in; pgpool hands the next client of the same user and database its cached backend, opened before the ALTER ROLE, so the client gets the old defaults',
    link: 'https://www.pgpool.net/docs/43/en/html/runtime-config-connection-pooling.html',
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['session-objects/load-not-inherited-after-disconnect'],
    reason:
      "a library LOADed by one client stays loaded in the backend: reset_query_list (ABORT; DISCARD ALL) cannot unload it, so the next client on the cached backend knows the module's settings",
    link: 'https://www.postgresql.org/docs/current/sql-discard.html',
    source: 'observed',
    divergence: { kind: 'no-error' },
  },
];

// What pgpool-II's documentation says per feature of a cached connection: only its Restrictions
// page answers one, temporary tables (the same text from 4.3 to master): tables made by CREATE
// TEMP TABLE "will be deleted at the end of the session" by DISCARD ALL in reset_query_list.
// The connection pooling chapter and reset_query_list's description say how a backend is reused
// and reset, not what a client may rely on, so they give no cell.
const PUBLISHED_MAP = {
  link: 'https://www.pgpool.net/docs/43/en/html/restrictions.html',
  modes: { cache: { 'temp-tables-preserve-delete-rows': 'deleted at the end of the session' } },
} as const;

export const pgpoolProfile: Profile = {
  pooler: 'pgpool',
  checked: ['4.3.5', '4.6.1', '4.7.3'],
  publishedFeatureMaps: [PUBLISHED_MAP],
  modes: {
    cache: [
      ...INTERNAL_TRANSACTION,
      ...INJECTED_SYNC,
      UNKNOWN_STATEMENT,
      EXTENDED_DISCARD_ALL,
      FAILED_PREPARE_TRANSACTION,
      OWN_AUTH_ERROR,
      ...REUSED_BACKEND,
      ...protocolEdges,
      ...queueAndStartupEntries.cache,
      ...ROLES_AND_SERVER_ENDS,
    ],
  },
};
