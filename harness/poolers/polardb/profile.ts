// What Alibaba Cloud documents as differing from PostgreSQL behind the transaction-level
// connection pool of the PolarDB for PostgreSQL database proxy (PolarProxy).
//
// NOT RUN LIVE. PolarProxy exists only inside Alibaba Cloud; this profile is data for the
// external provider (an endpoint with the transaction-level pool switched on as the pooled
// URL, an endpoint whose connection pool is off as the direct URL). It was written from
// the docs, not from a run: every entry is an expectation to confirm, and the first live run
// will show `improved` wherever the docs are more pessimistic than the proxy.
// Written against PolarProxy 2.3.46 or later (the feature's minimum) and the page
// "Transaction-level connection pool" of PolarDB for PostgreSQL (also serves the edition
// compatible with Oracle). The stored English copy of that page
// (https://www.alibabacloud.com/help/en/polardb/polardb-for-postgresql/transaction-level-connection-pool,
// updated Mar 28, 2026) ends before its limitations, so the limitations were read on the
// Chinese page, which the entries cite; its last item (about connection reuse and the backend
// pid) is cut short in the stored copy too, see BACKEND_PER_TRANSACTION.
//
// How the pool works (the page's own description): the proxy answers a client's login without
// opening a backend; for each transaction it takes an idle backend whose user, database and
// system variables match the client's, and returns it to the pool when the transaction ends.
//
// The limitations come in two kinds, and only the second is listed here:
//  - things that merely stop multiplexing: the proxy keeps ("locks") the backend for the client
//    until the client disconnects after a SQL PREPARE, a message over about 16 MB, COPY, flush
//    mode (Flush before Sync), temporary tables / sequences / views, an open transaction, or a
//    DECLARE CURSOR. Scenarios on those are expected to PASS: SQL PREPARE, temp tables, cursors
//    without hold, COPY, the 16 MB message, Flush-then-Bind, transaction blocks. The pinning
//    map checks each lock (LOCKED_UNTIL_DISCONNECT below): SQL PREPARE
//    stress/pinning-after-sql-prepare (and prepared-statements/sql-prepare*), COPY
//    stress/pinning-after-copy-in (protocol-framing/copy-*), flush mode stress/pinning-after-flush,
//    temporary tables stress/pinning-after-temp-table (session-objects/temp-table-*), sequences
//    stress/pinning-after-sequence-nextval (sequences/*), an open transaction
//    stress/pinning-after-open-transaction, DECLARE CURSOR stress/pinning-after-declare-cursor;
//    views and the 16 MB message have no scenario (the map leaves the message out: too costly).
//  - features documented as incompatible, with unexpected behaviour: sequences, advisory locks,
//    LISTEN/NOTIFY, holdable cursors; and CANCEL, which may hang the session.
// Sequences and holdable cursors appear in both lists (a cursor declaration pins, yet holdable
// cursors are called incompatible): the docs do not say which wins, so they are listed as
// expected to diverge, and the reasons say so. Protocol-level prepared statements (Parse) are
// named in neither list, so they are expected to pass; SET is covered by the proxy matching
// system variables when it picks a backend.
//
// No published feature table exists for this pool, so the profile has no publishedFeatureMap.
import type { Profile, ProfileEntry } from '../profile.ts';

const POOL = 'https://help.aliyun.com/zh/polardb/polardb-for-postgresql/transaction-level-connection-pool';

/**
 * The locks: after these the proxy keeps the backend for the client until it disconnects, so
 * another client of a one-backend pool waits (the pinning map's probe gets no answer). Optional:
 * through an endpoint with more backends the other client is served and the scenario passes.
 */
const LOCKED_UNTIL_DISCONNECT: ProfileEntry = {
  scenarios: [
    'stress/pinning-after-sql-prepare',
    'stress/pinning-after-copy-in',
    'stress/pinning-after-flush',
    'stress/pinning-after-temp-table',
    'stress/pinning-after-sequence-nextval',
    'stress/pinning-after-open-transaction',
    'stress/pinning-after-declare-cursor',
  ],
  reason:
    'after a SQL PREPARE, COPY, a Flush before Sync, a temporary table or sequence, an open transaction or a DECLARE CURSOR the proxy keeps ("locks") the backend for the client until it disconnects, so another client of a one-backend pool waits',
  link: POOL,
  divergence: { kind: 'no-answer' },
  optional: true,
};

const CANCEL_MAY_HANG: ProfileEntry = {
  scenarios: ['cancel/*'],
  // A hang reaches poolcheck as a step deadline, which it reports as error, not diverge: a
  // profile cannot document it. The entry still gives the reason beside that error.
  reason:
    'with the transaction-level pool on, a CancelRequest may leave the session hanging; Alibaba advises switching the pool off where query cancel is used',
  link: POOL,
};

const SEQUENCES_SHARED: ProfileEntry = {
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
    "sequences are listed as incompatible with the transaction-level pool: currval()/lastval() are state of whichever backend served the transaction, so another client's nextval() on a shared backend shows through (the same page also lists sequences among what pins a backend, without saying which applies)",
  link: POOL,
};

const SEQUENCES_OWN: ProfileEntry = {
  scenarios: [
    'sequences/currval-in-later-transaction',
    'sequences/currval-after-commit',
    'sequences/lastval-in-later-transaction',
    'sequences/nextval-in-rolled-back-transaction-stays-used',
    'sequences/setval-then-currval',
    'sequences/currval-after-sequence-recreated',
  ],
  reason:
    'sequences are listed as incompatible with the transaction-level pool: a client whose next transaction gets another backend finds no currval()/lastval() there (diverges only when the backend changes; the page also lists sequences among what pins a backend)',
  link: POOL,
};

const ADVISORY_LOCKS: ProfileEntry = {
  // Transaction-level advisory locks live inside one transaction, which keeps its backend; they
  // are expected to pass and are not listed.
  scenarios: [
    'session-state/advisory-lock-*',
    'session-objects/session-advisory-lock-*',
    'abnormal-exits/abrupt-close-releases-session-advisory-lock',
  ],
  reason:
    'advisory locks are listed as incompatible with the transaction-level pool: a session-level lock stays on the backend that took it, which other clients then use while the holder runs elsewhere',
  link: POOL,
};

const LISTEN_NOTIFY: ProfileEntry = {
  scenarios: [
    'session-state/notify-*',
    'session-state/listen-*',
    'session-objects/listen-*',
    'session-objects/unlisten-*',
    'session-objects/notify-*',
    'backend-pid/*notification-pid-*',
    'abnormal-exits/abrupt-close-ends-listen',
  ],
  reason:
    'LISTEN/NOTIFY is listed as incompatible with the transaction-level pool: the registration stays on the backend that ran LISTEN, which is not the one the client is on when notifications arrive',
  link: POOL,
};

const HOLDABLE_CURSORS: ProfileEntry = {
  scenarios: ['session-objects/cursor-with-hold-*', 'abnormal-exits/abrupt-close-closes-holdable-cursor'],
  reason:
    'holdable (WITH HOLD) cursors are listed as incompatible with the transaction-level pool (ambiguous: the same page says declaring a cursor pins the backend to the client, which would keep them working)',
  link: POOL,
};

const BACKEND_PER_TRANSACTION: ProfileEntry = {
  scenarios: ['backend-pid/stable-across-transactions'],
  reason:
    "a backend is lent for one transaction and returned to the pool when it ends, so pg_backend_pid() may differ from one transaction to the next (the page's last limitation, on connection reuse, says as much; it is cut short in the stored copy)",
  link: POOL,
};

const KEY_DATA_PID: ProfileEntry = {
  scenarios: ['backend-pid/key-data-pid-is-pg-backend-pid', 'backend-pid/pg-stat-activity-pid-is-key-data-pid'],
  // Inferred, not stated: the page says the proxy logs a client in without opening a backend,
  // so the BackendKeyData it sends cannot name the backends that later serve the client.
  reason:
    "the proxy completes the login without a backend and picks one per transaction, so the pid the driver received at startup is not the backend running its queries (inferred from the page's description of the pool; it does not discuss BackendKeyData)",
  link: POOL,
};

export const polardbProxyProfile = {
  pooler: 'polardb-proxy',
  checked: [],
  basis:
    'PolarProxy 2.3.46+ transaction-level connection pool, PolarDB for PostgreSQL (docs as of 2026); not run live: written from the docs, PolarDB is cloud-only',
  modes: {
    transaction: [
      LOCKED_UNTIL_DISCONNECT,
      CANCEL_MAY_HANG,
      SEQUENCES_SHARED,
      SEQUENCES_OWN,
      ADVISORY_LOCKS,
      LISTEN_NOTIFY,
      HOLDABLE_CURSORS,
      BACKEND_PER_TRANSACTION,
      KEY_DATA_PID,
    ],
  },
} satisfies Profile;
