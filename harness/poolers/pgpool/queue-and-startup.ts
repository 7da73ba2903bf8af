// pgpool-II's divergences in the catalogue's queue, pipeline, protocol-version, startup-options
// and SET-form scenarios (issue 18, items 6, 7, 15, 16, 17, 21, 25). Checked against 4.3.5
// (bookworm, PostgreSQL 15), 4.6.1 (trixie, 17) and 4.7.3 (sid, 18).
import type { ProfileEntry } from '../profile.ts';

/** pgpool adds a BEGIN of its own before a write sent by Parse outside a transaction block, and never commits it. */
const INTERNAL_BEGIN = 'https://github.com/pgpool/pgpool2/issues/172';

const EVERY_MODE: readonly ProfileEntry[] = [
  {
    scenarios: [
      'auth-transport/protocol-3-2-accepted-with-long-cancel-key',
      'auth-transport/protocol-3-3-negotiated-down',
      'auth-transport/protocol-options-listed-in-negotiation',
    ],
    versions: '<4.7',
    reason:
      'pgpool-II before 4.7 refuses a StartupMessage asking for protocol 3.2 or 3.3, or carrying a _pq_ option, with XX000 "backend authentication failed", where PostgreSQL answers NegotiateProtocolVersion (or, 18, takes 3.2); 4.7.0 added protocol 3.2',
    link: 'https://www.pgpool.net/docs/47/en/html/release-4-7-0.html',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: ['transactions/pipeline-execute-sent-past-ready-for-query'],
    versions: '<4.7',
    reason:
      "pgpool bug: an INSERT sent by Parse outside a transaction block runs inside a BEGIN pgpool adds and never commits, so the Sync that ends the pipeline's first segment answers ReadyForQuery T where PostgreSQL commits and says I",
    link: INTERNAL_BEGIN,
    source: 'issue',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: ['session-objects/temp-table-shadow-not-seen-by-next-client', 'session-objects/temp-table-shadows-permanent-table'],
    // The drivers that send a statement without parameters by Parse; pgjdbc sends a Query string
    // of several statements as one pipeline.
    drivers: ['postgres.js', 'asyncpg', 'asyncpg:pooler-safe', 'pgjdbc', 'pgjdbc:pooler-safe', 'pgx', 'pdo-pgsql', 'tokio-postgres'],
    versions: '<4.7',
    optional: true,
    reason:
      "pgpool bug: an INSERT this driver sends by Parse outside a transaction block runs inside a BEGIN pgpool adds and never commits: the other client's count misses it, and a later ROLLBACK takes it back",
    link: INTERNAL_BEGIN,
    source: 'issue',
    divergence: { kind: 'rows' },
  },
  {
    // Not wrong by the protocol (a server may deliver replies before Sync or Flush asks), but
    // not what PostgreSQL does: a client that reads in order is unaffected.
    scenarios: ['transactions/pipeline-execute-sent-past-ready-for-query'],
    versions: '>=4.7',
    reason:
      'pgpool-II sends the replies of a Bind and Execute that follow a Sync in the same write at once, where PostgreSQL holds them until the next Sync or Flush; they arrive before the client asked for them',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: ['auth-transport/warning-during-login-reaches-the-client'],
    versions: '4.6.1',
    reason:
      'pgpool-II 4.6.1 refuses the login (XX000 "unable to get session context") when the server sends a WARNING while the backend session starts, where PostgreSQL gives the client the WARNING and the session; 4.3.5 and 4.7.3 relay it',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
    source: 'observed',
    divergence: { kind: 'notices' },
  },
];

export const queueAndStartupEntries = { cache: EVERY_MODE } as const;
