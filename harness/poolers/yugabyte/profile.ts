// What YugabyteDB's YSQL Connection Manager (YCM) documents as differing from PostgreSQL.
//
// NOT RUN LIVE. poolcheck cannot start YugabyteDB on this machine; this profile is data for the
// external provider (a pooled URL to YCM, a direct URL to the same tserver's PostgreSQL port).
// It was written from the docs, not from a run, so every entry is an expectation to be
// confirmed: the first live run will show `improved` wherever the docs were too pessimistic.
// Written against the "stable" docs of the v2025.2 series, page "Set up YSQL Connection
// Manager" (sections Configure, Sticky connections, Limitations), read from the docs source
// docs/content/stable/additional-features/connection-manager-ysql/ycm-setup.md in
// yugabyte/yugabyte-db; where the docs are silent, the yugabyte-db issue is cited.
//
// What YCM is: a modified Odyssey inside every yb-tserver, pooling per (user, database) in
// transaction mode only. A backend serves a client for one transaction and goes back to the
// pool, unless the client has made its connection "sticky": then the backend stays with that
// client until it disconnects and is destroyed, not pooled. The docs' sticky list: TEMP tables,
// WITH HOLD cursors, SQL-level PREPARE, superuser logins (ysql_conn_mgr_superuser_sticky,
// default true), sequences when ysql_conn_mgr_sequence_support_mode = session, replication
// connections, and SET of session_authorization, role, default_tablespace, temp_tablespaces,
// string settings of extensions, yb_read_after_commit_visibility. Session advisory locks are
// sticky too (docs silent; yugabyte-db#33293, #30783). Plain SET is replayed per client by YCM
// (ysql_conn_mgr_optimized_session_parameters) and the docs claim no SQL limitation for it.
// Scenarios on all of these are therefore expected to PASS and are not listed as divergences;
// each sticky item is checked by these scenarios (the pinning map's ones are entries below:
// there stickiness shows as another client waiting on a one-backend pool):
//   TEMP tables: session-state/temp-table-*, session-objects/temp-table-*, stress/pinning-after-temp-table
//   WITH HOLD cursors: session-objects/cursor-with-hold-*, stress/pinning-after-declare-cursor
//   SQL-level PREPARE: prepared-statements/sql-prepare*, prepared-statements/sql-prepared-*, stress/pinning-after-sql-prepare
//   superuser logins: every scenario, when run as a superuser (see "Run it with a role..." below)
//   sequences in `session` mode: sequences/*, stress/pinning-after-sequence-nextval
//   SET session_authorization / role: session-state/set-session-authorization-*, session-state/set-role-*
//   session advisory locks: session-state/advisory-lock-*, session-objects/session-advisory-lock-*
//   plain SET (replayed per client): session-state/set-*, parameter-status/*
//   replication connections, default_tablespace, temp_tablespaces, extension settings,
//   yb_read_after_commit_visibility: no scenario yet.
//
// Run it with a role that is NOT a superuser: superuser connections are sticky by default, so
// YCM would behave like session pooling and the entries below would read `improved`.
//
// Modes. YCM has one pooling mode; what changes what a client sees is the tserver flag
// ysql_conn_mgr_sequence_support_mode, so each of its three values is one mode here, the flag's
// default first (a target named without a mode runs in the first). `yugabyte-ysql-cm:session`
// means "YCM on tservers started with ysql_conn_mgr_sequence_support_mode=session". The other
// sequence setting that matters, ysql_sequence_cache_method, is assumed at its default
// (`connection`); the entries that depend on it say so.
//
// Not here on purpose: what YugabyteDB itself does differently from PostgreSQL (LISTEN/NOTIFY
// off unless ysql_yb_enable_listen_notify is set, per-backend sequence caching seen on the
// direct URL too). The direct URL is the oracle: such scenarios fail there and are reported as
// broken scenarios, never as YCM findings.
//
// Evidence from Odyssey: where an entry describes what YCM inherits from Odyssey, `evidence`
// says what poolcheck's run of upstream Odyssey 1.5.2 showed (the odyssey profile, checked with
// `poolcheck run --provider docker --suite sid --targets odyssey`).
import type { Profile, ProfileEntry } from '../profile.ts';

const SETUP = 'https://docs.yugabyte.com/stable/additional-features/connection-manager-ysql/ycm-setup/';
const LIMITATIONS = `${SETUP}#limitations`;
const STICKY = `${SETUP}#sticky-connections`;
const CONFIGURE = `${SETUP}#configure`;

/** The pid in BackendKeyData is YCM's, not the backend's. */
const KEY_DATA_PID: ProfileEntry = {
  scenarios: ['backend-pid/key-data-pid-is-pg-backend-pid', 'backend-pid/pg-stat-activity-pid-is-key-data-pid'],
  reason:
    'the docs warn that the backend pid a driver holds under YCM (they name JDBC; it is the BackendKeyData YCM itself sends every client) is not the backend serving the client and must not be used to find it; cancel keeps working',
  link: LIMITATIONS,
  evidence:
    'Odyssey design: upstream Odyssey 1.5.2 sends its own BackendKeyData in session and transaction pooling alike (odyssey profile, OWN_BACKEND_KEY)',
};

const BACKEND_PER_TRANSACTION: ProfileEntry = {
  scenarios: ['backend-pid/stable-across-transactions'],
  reason:
    "unless the connection is sticky, YCM hands a backend to a client for one transaction and then returns it to the pool, so the client's next transaction may run in another backend",
  link: STICKY,
  evidence:
    "Odyssey design: upstream Odyssey 1.5.2 in transaction pooling runs a client's next transaction in another backend whenever another client took its server meanwhile",
};

const DEALLOCATE: ProfileEntry = {
  scenarios: [
    'prepared-statements/deallocate-name-of-other-clients-protocol-statement',
    'prepared-statements/deallocate-name-of-other-clients-sql-statement',
    'prepared-statements/deallocate-all-spares-other-clients-protocol-statement',
  ],
  // Ambiguous: the docs only say "unexpected behavior" (yugabyte-db#24653). Issue #33851 says
  // DEALLOCATE is close to a no-op under YCM that still reports success; if so, the two "name"
  // scenarios diverge (success instead of 26000) and the DEALLOCATE ALL one may pass.
  reason:
    'the docs warn that DEALLOCATE and DEALLOCATE ALL can behave unexpectedly under YCM (yugabyte-db#24653) without saying how; yugabyte-db#33851 describes DEALLOCATE as practically a no-op that still reports success. Which of these diverge depends on the build',
  link: LIMITATIONS,
  evidence:
    'Odyssey design: upstream Odyssey 1.5.2 with pool_reserve_prepared_statement answers DEALLOCATE of a name the client never prepared with success (the two "name" scenarios) and keeps other clients\' statements through DEALLOCATE ALL (that scenario passes)',
};

const UNNAMED_STATEMENT: ProfileEntry = {
  scenarios: ['prepared-statements/unnamed-statement-not-replaced-by-other-client'],
  reason:
    "a Bind to the unnamed statement goes wrong when the backend the client is given holds another client's unnamed statement; in the builds named in the issue the Bind is not forwarded at all",
  link: 'https://github.com/yugabyte/yugabyte-db/issues/29935',
  source: 'issue',
  evidence:
    'not from Odyssey: upstream Odyssey 1.5.2 keeps the unnamed statement per client with pool_reserve_prepared_statement (the scenario passes there)',
};

/** A Query pipelined behind a failing extended-protocol message is never answered. */
const QUERY_SKIPPED_BEFORE_SYNC: ProfileEntry = {
  scenarios: ['protocol-framing/error-mid-pipeline-skips-until-sync'],
  reason:
    'a simple Query pipelined after a failing extended-protocol message is discarded by the backend (it skips to Sync) but YCM still counts it as awaiting ReadyForQuery, so the relay stops and the client waits forever',
  link: 'https://github.com/yugabyte/yugabyte-db/issues/33915',
  source: 'issue',
  divergence: { kind: 'no-answer' },
  evidence:
    'Odyssey design: upstream Odyssey 1.5.2 hangs the same way in session and transaction pooling (odyssey profile, QUERY_SKIPPED_BEFORE_SYNC)',
};

/** Every scenario of the catalogue that reads currval() or lastval() and expects a value. */
const CURRVAL_LASTVAL_VALUES = [
  'sequences/currval-sees-other-clients-nextval',
  'sequences/currval-in-later-transaction',
  'sequences/currval-after-commit',
  'sequences/lastval-in-later-transaction',
  'sequences/lastval-sees-other-clients-nextval',
  'sequences/currval-after-sequence-recreated',
  'sequences/nextval-in-rolled-back-transaction-stays-used',
  'sequences/setval-then-currval',
  'sequences/setval-currval-after-other-client-nextval',
  'sequences/case-currval-after-other-clients-commit',
];

// The limitations list says "currval and nextval"; the flag's own description (and PR
// https://github.com/yugabyte/yugabyte-db/pull/30719, which fixes that line) says currval and lastval.
const CURRVAL_REFUSED: ProfileEntry = {
  scenarios: CURRVAL_LASTVAL_VALUES,
  reason:
    'ysql_conn_mgr_sequence_support_mode = pooled_without_curval_lastval (the default): currval() and lastval() are not supported and fail, so a client cannot read back the value it drew (the limitations list says "currval and nextval"; the flag description and yugabyte-db PR #30719 correct it to currval and lastval)',
  link: CONFIGURE,
  evidence:
    'a YugabyteDB addition; upstream Odyssey 1.5.2 does not refuse currval, but its reset after each transaction leaves it undefined (55000) in the same scenarios',
};

const CURRVAL_REFUSAL_CODE: ProfileEntry = {
  scenarios: [
    'sequences/currval-before-nextval-fails',
    'sequences/lastval-before-nextval-fails',
    'sequences/setval-uncalled-leaves-currval-undefined',
  ],
  // Ambiguous: YCM's refusal is an error, as PostgreSQL's answer is; if YB reports it as 55000
  // these scenarios pass (except where the cache entry below applies).
  reason:
    "pooled_without_curval_lastval refuses currval() and lastval() with a YugabyteDB error of its own; the docs give no SQLSTATE, so a scenario expecting PostgreSQL's 55000 (not yet defined in this session) may see another code",
  link: CONFIGURE,
};

const CACHE_NOT_MONOTONIC: ProfileEntry = {
  scenarios: [
    'sequences/setval-then-currval',
    'sequences/nextval-in-rolled-back-transaction-stays-used',
    'sequences/setval-uncalled-leaves-currval-undefined',
  ],
  reason:
    "in both pooled sequence modes the docs do not guarantee monotonic sequence order when ysql_sequence_cache_method = connection (the default, assumed here): values are cached per backend, so a client's next nextval() may come from a range another backend cached rather than follow the value it set or drew",
  link: CONFIGURE,
};

/**
 * Sticky connections (the pinning map, suites/stress/pinning.ts): after a TEMP table, a WITH HOLD
 * cursor or a SQL PREPARE the backend stays with the client until it disconnects, so another
 * client of a one-backend pool waits; an open transaction, a COPY in progress and an extended
 * batch before its Sync hold the backend too, as in any transaction pooler. Optional: with a
 * pool of more backends (no --external-single) the other client is served and they pass.
 */
const STICKY_PINS: ProfileEntry = {
  scenarios: [
    'stress/pinning-after-temp-table',
    'stress/pinning-after-declare-cursor',
    'stress/pinning-after-sql-prepare',
    'stress/pinning-after-open-transaction',
    'stress/pinning-after-copy-in',
    'stress/pinning-after-flush',
  ],
  reason:
    'TEMP tables, WITH HOLD cursors and SQL-level PREPARE make the connection sticky: its backend is no longer pooled, so another client of a one-backend pool waits until the client disconnects (an open transaction, a COPY and a batch before Sync hold it until they end)',
  link: STICKY,
  divergence: { kind: 'no-answer' },
  optional: true,
};

/** ysql_conn_mgr_sequence_support_mode = session: nextval() makes the connection sticky. */
const STICKY_SEQUENCE: ProfileEntry = {
  scenarios: ['stress/pinning-after-sequence-nextval'],
  reason:
    'with ysql_conn_mgr_sequence_support_mode = session a connection that calls nextval() becomes sticky, so another client of a one-backend pool waits',
  link: CONFIGURE,
  divergence: { kind: 'no-answer' },
  optional: true,
};

const EVERY_MODE = [STICKY_PINS, KEY_DATA_PID, BACKEND_PER_TRANSACTION, DEALLOCATE, UNNAMED_STATEMENT, QUERY_SKIPPED_BEFORE_SYNC];

export const yugabyteYsqlCmProfile = {
  pooler: 'yugabyte-ysql-cm',
  checked: [],
  basis: 'YugabyteDB v2025.2 (stable docs, "Set up YSQL Connection Manager"); not run live: written from the docs, no YugabyteDB here',
  modes: {
    /** The flag's default: currval()/lastval() refused, sequences not sticky. */
    pooled_without_curval_lastval: [...EVERY_MODE, CURRVAL_REFUSED, CURRVAL_REFUSAL_CODE, CACHE_NOT_MONOTONIC],
    /** currval()/lastval() documented as supported without stickiness; only the cache caveat remains. */
    pooled_with_curval_lastval: [...EVERY_MODE, CACHE_NOT_MONOTONIC],
    /** A connection that calls nextval() becomes sticky: sequence scenarios expected to pass. */
    session: [...EVERY_MODE, STICKY_SEQUENCE],
  },
} satisfies Profile;
