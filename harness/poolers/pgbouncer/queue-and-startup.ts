// pgbouncer's divergences in the catalogue's queue, pipeline, protocol-version, startup-options
// and SET-form scenarios (issue 18, items 6, 7, 15, 16, 17, 21, 25). Checked against 1.18.0
// (bookworm, PostgreSQL 15), 1.24.1 (trixie, 17) and 1.26.1 (sid, 18).
import type { ProfileEntry } from '../profile.ts';

const FEATURES = 'https://www.pgbouncer.org/features.html';
const PROTOCOL_SCENARIOS = [
  'auth-transport/protocol-3-2-accepted-with-long-cancel-key',
  'auth-transport/protocol-3-3-negotiated-down',
  'auth-transport/protocol-options-listed-in-negotiation',
];
/** Every options scenario: before 1.20 pgbouncer refuses the parameter itself. */
const OPTIONS_SCENARIOS = 'auth-transport/options-*';

const EVERY_MODE: readonly ProfileEntry[] = [
  {
    scenarios: PROTOCOL_SCENARIOS,
    versions: '<1.23',
    reason:
      'pgbouncer before 1.23 refuses a StartupMessage asking for any protocol version but 3.0 ("bad packet header", 08P01) and one carrying a _pq_ option ("unsupported startup parameter"), where PostgreSQL answers NegotiateProtocolVersion and goes on; 1.23 negotiates',
    link: 'https://github.com/pgbouncer/pgbouncer/pull/1007',
    source: 'issue',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: PROTOCOL_SCENARIOS,
    versions: '>=1.23',
    postgres: '>=18',
    reason:
      'pgbouncer speaks protocol 3.0 to its clients: it answers 3.2 (and 3.3) with NegotiateProtocolVersion(3.0) and a 4-byte cancel key, where PostgreSQL 18 takes 3.2 without a word (and offers 3.2 for 3.3) with a 32-byte key; the client goes on in 3.0',
    link: 'https://github.com/pgbouncer/pgbouncer/pull/1007',
    source: 'issue',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: OPTIONS_SCENARIOS,
    versions: '<1.20',
    reason: 'pgbouncer before 1.20 refuses the options startup parameter ("unsupported startup parameter: options", 08P01)',
    link: 'https://github.com/pgbouncer/pgbouncer/issues/875',
    source: 'issue',
    divergence: { kind: 'error', sqlstate: '08P01' },
  },
  {
    scenarios: [
      'auth-transport/options-any-run-time-setting',
      'auth-transport/options-role-is-the-next-clients-no-more',
      'auth-transport/options-search-path-kept-as-written',
      'auth-transport/options-value-is-not-sql',
      'auth-transport/options-custom-dotted-settings',
      // Seen on 1.24.1 and 1.26.1: jit, and default_transaction_isolation, the first untracked one.
      'auth-transport/options-two-clients-each-keep-their-own',
      'auth-transport/options-common-settings-each-applied',
    ],
    versions: '>=1.20',
    reason:
      'pgbouncer applies -c settings of the options parameter only for the parameters it tracks (track_extra_parameters) and refuses the login for any other ("unsupported startup parameter in options", 08P01): statement_timeout, work_mem, role, custom (dotted) settings, and search_path (which it tracks only where listed, and never under its dashed spelling)',
    link: 'https://www.pgbouncer.org/config.html#track_extra_parameters',
    divergence: { kind: 'error', sqlstate: '08P01' },
  },
  {
    scenarios: ['auth-transport/options-dashes-for-underscores'],
    versions: '>=1.20',
    reason:
      'pgbouncer looks a parameter of the options string up as it is spelt: --standard-conforming-strings (PostgreSQL reads a dash in the name as an underscore) is refused as an unsupported parameter (08P01)',
    link: 'https://www.postgresql.org/docs/current/app-postgres.html',
    source: 'observed',
    divergence: { kind: 'error', sqlstate: '08P01' },
  },
  {
    // Seen on 1.26.1; 1.24.1 in its own entry below once checked.
    scenarios: ['auth-transport/options-c-switch-forms'],
    versions: '>=1.20',
    reason:
      "pgbouncer refuses an options string with whitespace after its last setting (\"unsupported options startup parameter: only '-c config=val' and '--config=val' are allowed\", 08P01), which PostgreSQL ignores as it splits the string at whitespace",
    link: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS',
    source: 'observed',
    divergence: { kind: 'error', sqlstate: '08P01' },
  },
  {
    scenarios: ['auth-transport/warning-during-login-reaches-the-client'],
    reason:
      "pgbouncer answers a client's login itself and opens the server connection on its own behalf: a WARNING the server sends while that connection starts (a role setting that no longer applies) goes to pgbouncer's log, never to the client",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
    source: 'observed',
    divergence: { kind: 'notices' },
  },
];

/** Transaction and statement pooling: the server goes to the next client when the transaction ends. */
const SHARED_SERVER: readonly ProfileEntry[] = [
  {
    scenarios: ['transactions/pipeline-parse-sent-past-ready-for-query', 'transactions/pipeline-execute-sent-past-ready-for-query'],
    versions: '<1.21',
    reason:
      "pgbouncer before 1.21 releases the server at the ReadyForQuery that ends a transaction even when the client has already sent more of its pipeline: the client queued for the server gets it, with the first client's Parse (or uncommitted Execute) on it (#714, fixed by tracking outstanding requests in 1.21)",
    link: 'https://github.com/pgbouncer/pgbouncer/issues/714',
    source: 'issue',
    divergence: { kind: 'ground-truth' },
  },
  {
    // Measured on 1.18.0 in transaction pooling (twice); statement pooling passed the same run.
    scenarios: ['protocol-framing/copy-in-batch-rolled-back-by-later-error'],
    versions: '<1.21',
    optional: true,
    reason:
      "pgbouncer before 1.21 releases the server at the ReadyForQuery that ends the batch's first segment though the client has already sent the next one: its Bind, COPY and the rest are never answered (#714)",
    link: 'https://github.com/pgbouncer/pgbouncer/issues/714',
    source: 'issue',
    divergence: { kind: 'no-answer' },
  },
  {
    // Measured on 1.18.0, transaction and statement pooling; 1.24.1 and 1.26.1 answer. A race:
    // the same 1.18.0 in a container (CI, docker provider) once answered every message and
    // passed.
    scenarios: ['abnormal-exits/abrupt-close-after-synced-segment-rolls-back-unsynced-insert'],
    versions: '<1.21',
    optional: true,
    reason:
      "pgbouncer before 1.21 releases the server at the ReadyForQuery that ends the write's first segment though the client has already sent the next one: the INSERT's Parse, Bind, Execute and Flush are never answered (#714)",
    link: 'https://github.com/pgbouncer/pgbouncer/issues/714',
    source: 'issue',
    divergence: { kind: 'no-answer' },
  },
  {
    scenarios: ['session-objects/temp-table-shadow-not-seen-by-next-client'],
    reason:
      'feature map: PRESERVE/DELETE ROWS temp tables "Never" in transaction pooling; the temporary table belongs to the shared server session, so it shadows the permanent table for the next client too',
    link: FEATURES,
    divergence: { kind: 'rows' },
  },
];

export const queueAndStartupEntries = {
  session: EVERY_MODE,
  transaction: [...EVERY_MODE, ...SHARED_SERVER],
  statement: [...EVERY_MODE, ...SHARED_SERVER],
} as const;
