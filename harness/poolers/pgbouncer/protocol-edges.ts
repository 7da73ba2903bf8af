// Where pgbouncer differs from PostgreSQL at the protocol's edges (issue 18's wire items: a
// client's own DEALLOCATE/DISCARD, failed and skipped Parse, COPY errors and COPY in pipelines,
// malformed messages). Checked by raw-protocol runs against 1.18.0 (Debian bookworm,
// PostgreSQL 15), 1.24.1 (trixie, PostgreSQL 17) and 1.26.1 (sid, PostgreSQL 18), transaction
// pooling also with max_prepared_statements=0.
import type { ProfileEntry } from '../profile.ts';

const CONFIG = 'https://www.pgbouncer.org/config.html#max_prepared_statements';

/** Named statements tracked per client (1.21+, max_prepared_statements not 0; 200 by default from 1.24). */
const TRACKED = { versions: '>=1.21', settings: { max_prepared_statements: { not: '0' } } } as const;
/** Statements live on the server connection (before 1.21, or tracking off). */
const UNTRACKED = { settings: { max_prepared_statements: '0' } } as const;

// ---- Every mode ----------------------------------------------------------------------------

const BAD_LENGTH_REPORTED: ProfileEntry = {
  scenarios: ['protocol-framing/message-length-past-the-limit-closes-only-that-client'],
  reason:
    'pgbouncer passes a Query whose length word claims 2 GB on to the server, which closes the connection without a word; pgbouncer then tells the client ERROR 08P01 "server conn crashed?" before closing (other clients go on)',
  link: 'https://www.postgresql.org/docs/current/protocol-message-formats.html',
  source: 'observed',
  divergence: { kind: 'closed', sqlstate: '08P01' },
};

// ---- Transaction and statement pooling -----------------------------------------------------

/**
 * The record of a refused Parse (the entry in POOLED that names the wire scenarios) as a defect:
 * it shows wherever a driver parses a statement name again after the server refused it, as
 * PDO does when a statement it keeps fails at its first execute (in an aborted transaction,
 * say) and is executed again. Seen with pdo-pgsql on 1.24.1 and 1.26.1 in two scenarios that never name it.
 */
const REFUSED_PARSE_KEPT: ProfileEntry = {
  scenarios: '**',
  defect: 'a statement name the server refused to parse stays taken',
  ...TRACKED,
  reason:
    'with prepared statements tracked, pgbouncer records a named Parse as the client\'s statement when it reads it and keeps the record when the server refuses the Parse: parsing that name again (PDO prepares a kept statement again at its next execute) closes the connection with FATAL 08P01 "prepared statement name is already in use", where PostgreSQL, which never made the statement, parses it',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/1118',
  source: 'observed',
  divergence: { kind: 'closed', pattern: 'prepared statement name is already in use' },
};

const POOLED: readonly ProfileEntry[] = [
  {
    scenarios: ['prepared-statements/skipped-parse-stays-unknown-after-other-client-parses-it'],
    ...UNTRACKED,
    reason:
      'feature map: protocol-level prepared plans "No" in transaction pooling before 1.21 (and with max_prepared_statements=0 since): the other client\'s statement of that name lives on the shared server, so the Bind runs it where PostgreSQL says 26000',
    link: 'https://www.pgbouncer.org/features.html',
    divergence: { kind: 'no-error' },
  },
  {
    // src/prepare.c registers the client's name when it reads the Parse and never takes it back
    // when the server fails or skips that Parse. Possibly what pgbouncer#1118 reports (pgx
    // re-preparing a name after an error); not described there.
    scenarios: [
      'prepared-statements/failed-named-parse-creates-nothing',
      'prepared-statements/failed-named-parse-in-pipeline',
      'prepared-statements/failed-parse-of-several-commands',
      'prepared-statements/skipped-parse-after-error-and-flush',
      'prepared-statements/skipped-parse-and-close-change-nothing',
      'prepared-statements/skipped-parse-stays-unknown-after-other-client-parses-it',
      'prepared-statements/skipped-reparse-keeps-old-query',
      'prepared-statements/error-in-one-sync-segment-of-a-write',
      'protocol-framing/copy-in-batch-rolled-back-by-later-error',
      'prepared-statements/two-skipped-parses-of-a-new-name-create-nothing',
      'prepared-statements/skipped-parse-bound-and-parsed-again-in-one-write',
      'prepared-statements/bind-and-execute-errors-keep-statement',
      'prepared-statements/close-and-reparse-around-an-error',
      'prepared-statements/unnamed-close-around-errors',
      'prepared-statements/mixed-pipeline-replies-in-order',
    ],
    ...TRACKED,
    reason:
      'with prepared statements tracked, pgbouncer records a named Parse as the client\'s statement when it reads it and keeps the record when the server refuses the Parse or skips it after an earlier error: a Bind of that name prepares the statement anyway and runs it (PostgreSQL: 26000), and parsing the name again closes the connection with FATAL 08P01 "prepared statement name is already in use" (PostgreSQL parses it); a Close skipped after an error is recorded as done too, so a later Bind of the statement that still exists closes the connection ("prepared statement did not exist")',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: [{ kind: 'no-error' }, { kind: 'closed', sqlstate: '08P01' }],
  },
  {
    scenarios: [
      'prepared-statements/own-discard-all-drops-protocol-statements',
      'prepared-statements/own-deallocate-all-drops-protocol-statements',
      'prepared-statements/own-deallocate-prepare-all-drops-protocol-statements',
      'prepared-statements/own-discard-all-executed-over-protocol',
      'prepared-statements/own-deallocate-all-executed-in-same-sync',
      'prepared-statements/own-deallocate-prepare-all-executed-over-protocol',
      'prepared-statements/close-in-same-sync-as-parse',
      'prepared-statements/close-statement-with-open-portal',
      'protocol-framing/statement-name-longer-than-packet-buffer',
      'prepared-statements/two-sql-prepares-in-one-query',
      'prepared-statements/bind-of-unknown-name-skips-parse-behind-it',
      'prepared-statements/close-then-bind-in-one-segment',
    ],
    ...TRACKED,
    reason:
      'with prepared statements tracked, DEALLOCATE ALL and DISCARD ALL clear pgbouncer\'s record of the client\'s statements (its docs), as Close does for one; a later Bind or Describe of such a name, or of a statement made by SQL PREPARE, closes the connection with FATAL 08P01 "prepared statement did not exist" where PostgreSQL answers 26000 and the session goes on',
    link: 'https://github.com/pgbouncer/pgbouncer/pull/845',
    source: 'issue',
    divergence: { kind: 'closed', sqlstate: '08P01' },
  },
  {
    scenarios: [
      'prepared-statements/own-deallocate-name-drops-protocol-statement',
      'prepared-statements/own-deallocate-prepare-name-drops-protocol-statement',
    ],
    ...TRACKED,
    reason:
      'with prepared statements tracked, DEALLOCATE name is "forwarded straight to Postgres", where the client\'s statement has pgbouncer\'s own name (PGBOUNCER_n): the server answers 26000 and the statement stays',
    link: CONFIG,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    scenarios: ['prepared-statements/own-deallocate-all-then-parse-in-same-sync'],
    ...TRACKED,
    reason:
      'with prepared statements tracked, pgbouncer clears the client\'s statements when the reply to DEALLOCATE ALL (or DISCARD ALL) comes back, so a statement parsed after it in the same pipeline segment is forgotten too, and its Bind closes the connection ("prepared statement did not exist")',
    link: 'https://github.com/pgbouncer/pgbouncer/issues/1535',
    source: 'issue',
    divergence: { kind: 'closed', sqlstate: '08P01' },
  },
  {
    scenarios: ['prepared-statements/cached-plan-must-not-change-result-type'],
    ...TRACKED,
    reason:
      'with prepared statements tracked, pgbouncer shares one server statement per query text: after the result type changed, a Close and a new Parse of the same text reach that same stale statement, so "cached plan must not change result type" (0A000) repeats until the server connection is closed (its docs advise RECONNECT after such a migration)',
    link: 'https://github.com/pgbouncer/pgbouncer/issues/1038',
    source: 'issue',
    divergence: { kind: 'error', sqlstate: '0A000' },
  },
  {
    // Seen on 1.24.1, three runs out of three; 1.18 and 1.26.1 hand the server back (1.26.1
    // fails the COPY sent ahead instead, below). The request tracking it comes from is 1.21's.
    scenarios: ['protocol-framing/copy-bad-row-before-copy-done', 'protocol-framing/copy-bad-row-before-copy-done-in-transaction'],
    versions: '>=1.21 <1.26',
    reason:
      "when the server fails a COPY FROM STDIN before the client's CopyDone, pgbouncer counts the late CopyDone as a request still owed a reply and never hands the server back: the next client waits",
    link: 'https://github.com/pgbouncer/pgbouncer/pull/1470',
    source: 'issue',
    divergence: { kind: 'no-answer' },
  },
  {
    // The same as suites/cases/copy-data-before-copy-in-response.yaml documents for 1.26.1.
    scenarios: [
      'protocol-framing/copy-bad-row-with-copy-done',
      'protocol-framing/copy-extended-fail-then-sync',
      'protocol-framing/copy-named-statement',
      'protocol-framing/copy-done-before-copy-in-response-repeated',
    ],
    versions: '>1.24.1',
    reason:
      'pgbouncer 1.26.1 answers a COPY whose data, CopyDone or CopyFail was sent before its CopyInResponse as PostgreSQL does, but never hands its server connection back, so the next client waits',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY',
    source: 'observed',
    divergence: { kind: 'no-answer' },
  },
  {
    // 1.18 misses it now and then (the Sync rides in the packet with the CopyDone), 1.24.1 always.
    scenarios: ['protocol-framing/copy-simple-flush-in-copy-in-and-sync-after'],
    versions: '<1.26',
    optional: true,
    reason:
      "a Sync sent right after a simple-Query COPY's CopyDone is answered by the server after the COPY's ReadyForQuery, when pgbouncer has already released the server: the client never gets that ReadyForQuery",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: { kind: 'no-answer' },
  },
];

export const protocolEdges: Readonly<Record<'session' | 'transaction' | 'statement', readonly ProfileEntry[]>> = {
  session: [BAD_LENGTH_REPORTED],
  transaction: [BAD_LENGTH_REPORTED, ...POOLED, REFUSED_PARSE_KEPT],
  statement: [BAD_LENGTH_REPORTED, ...POOLED, REFUSED_PARSE_KEPT],
};
