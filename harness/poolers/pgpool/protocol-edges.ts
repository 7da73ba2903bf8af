// Where pgpool-II differs from PostgreSQL at the protocol's edges (issue 18's wire items: a
// client's own DEALLOCATE/DISCARD, failed and skipped Parse, COPY errors and COPY in pipelines,
// SQL-made portals and statements, malformed messages). Checked by raw-protocol runs against
// 4.3.5 (Debian bookworm, PostgreSQL 15), 4.6.1 (trixie, 17) and 4.7.3 (sid, 18).
import type { ProfileEntry } from '../profile.ts';

const ISSUES = 'https://github.com/pgpool/pgpool2/issues';
const COMMIT = 'https://github.com/pgpool/pgpool2/commit';

/**
 * Pipelines through error paths (a Bind, Close or Describe of a name that was never made, was
 * closed, or whose Parse was skipped): both pgpool bugs below show in each of them.
 */
const PIPELINE_ERROR_PATHS = [
  'prepared-statements/bind-of-unknown-name-skips-parse-behind-it',
  'prepared-statements/two-skipped-parses-of-a-new-name-create-nothing',
  'prepared-statements/bind-and-execute-errors-keep-statement',
  'prepared-statements/close-then-bind-in-one-segment',
  'prepared-statements/mixed-pipeline-replies-in-order',
  'prepared-statements/close-and-reparse-around-an-error',
  'prepared-statements/unnamed-bind-before-any-parse',
  'prepared-statements/unnamed-describe-in-later-segment-and-on-new-session',
  'prepared-statements/unnamed-statements-of-two-clients-kept-apart',
  'prepared-statements/unnamed-bind-and-execute-errors-keep-statement',
  'prepared-statements/unnamed-close-around-errors',
];

/** More such pipelines, where 4.7's ERROR (no longer FATAL) leaves PostgreSQL's replies: passed on 4.7.3, diverged on 4.6.1. */
const PASS_FROM_4_7 = [
  'prepared-statements/skipped-bind-of-named-statement-while-other-client-in-transaction',
  'prepared-statements/failed-unnamed-parse-mid-segment-leaves-none',
  'prepared-statements/skipped-unnamed-parse-in-one-write-keeps-previous',
];

/**
 * The same defect as profile.ts's UNKNOWN_STATEMENT, met through the client's own
 * DISCARD/DEALLOCATE, a Close, a failed or skipped Parse, or a closed portal.
 */
const UNKNOWN_NAME: ProfileEntry = {
  scenarios: [
    'prepared-statements/own-discard-all-drops-protocol-statements',
    'prepared-statements/own-deallocate-all-drops-protocol-statements',
    'prepared-statements/own-deallocate-name-drops-protocol-statement',
    'prepared-statements/own-deallocate-prepare-all-drops-protocol-statements',
    'prepared-statements/own-deallocate-prepare-name-drops-protocol-statement',
    'prepared-statements/own-deallocate-prepare-all-executed-over-protocol',
    'prepared-statements/own-deallocate-all-executed-in-same-sync',
    'prepared-statements/own-deallocate-all-then-parse-in-same-sync',
    'prepared-statements/close-statement-with-open-portal',
    'prepared-statements/close-portal-then-bind-its-name-again',
    'prepared-statements/close-in-same-sync-as-parse',
    'protocol-framing/statement-name-longer-than-packet-buffer',
    'prepared-statements/failed-named-parse-creates-nothing',
    'prepared-statements/failed-named-parse-in-pipeline',
    'prepared-statements/skipped-parse-after-error-and-flush',
    'prepared-statements/skipped-parse-and-close-change-nothing',
    'prepared-statements/skipped-parse-stays-unknown-after-other-client-parses-it',
    'prepared-statements/error-in-one-sync-segment-of-a-write',
    // On 4.3.5 the hold-back below stalls it before its closed portal's Execute.
    'protocol-framing/portal-closed-after-two-pages',
    ...PIPELINE_ERROR_PATHS,
  ],
  reason:
    'pgpool bug: a Bind, Describe or Execute naming a statement or portal pgpool has no Parse or Bind on record for (dropped by the client\'s DISCARD ALL or DEALLOCATE, closed, or never made because the Parse failed or was skipped) gets XX000 where PostgreSQL returns 26000 or 34000 (before 4.7 FATAL, closing the connection; on 4.6.1 and 4.7.3 also FATAL "unable to Execute" for an Execute of a portal the client closed)',
  link: `${ISSUES}/169`,
  source: 'issue',
  divergence: [
    { kind: 'closed', sqlstate: 'XX000' },
    { kind: 'sqlstate', sqlstate: 'XX000' },
    // From 4.7 the XX000 is an ERROR inside a pipeline: the reply differs from PostgreSQL's there.
    { kind: 'messages', pattern: 'ErrorResponse:XX000' },
  ],
};

export const protocolEdges: readonly ProfileEntry[] = [
  {
    scenarios: ['protocol-framing/portal-pages-over-flush-outside-transaction', 'protocol-framing/portal-closed-after-two-pages'],
    // Measured on 4.3.5 only: on another release it may or may not hold the replies back.
    optional: true,
    reason:
      "pgpool holds back the reply to an Execute with a row limit and a Flush sent after the portal's Bind/Describe/Flush was answered, outside a transaction block: the rows reach the client only when it sends more (here its Terminate), so a pg-cursor or postgres.js cursor stalls on its first page (seen on 4.3.5); PostgreSQL answers each Flush at once",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: { kind: 'no-answer' },
  },
  UNKNOWN_NAME,
  { ...UNKNOWN_NAME, scenarios: PASS_FROM_4_7, versions: '<4.7' },
  {
    // As profile.ts's INTERNAL_TRANSACTION: pgpool treats a statement its parser rejects (and an
    // INSERT) arriving by Parse as a write and opens a BEGIN of its own before it.
    scenarios: [
      'prepared-statements/failed-named-parse-creates-nothing',
      'prepared-statements/skipped-parse-and-close-change-nothing',
      'prepared-statements/skipped-reparse-keeps-old-query',
      'prepared-statements/error-in-one-sync-segment-of-a-write',
      'prepared-statements/skipped-parse-after-error-and-flush',
      'prepared-statements/skipped-parse-stays-unknown-after-other-client-parses-it',
      'prepared-statements/skipped-unnamed-parse-keeps-previous',
      'prepared-statements/failed-unnamed-parse-drops-previous',
      'prepared-statements/portals-of-transaction-control-statements',
      'protocol-framing/binary-parameters-mixed-per-parameter',
      'prepared-statements/skipped-parse-bound-and-parsed-again-in-one-write',
      ...PIPELINE_ERROR_PATHS,
      ...PASS_FROM_4_7,
    ],
    versions: '<4.7',
    reason:
      'pgpool bug: a Parse that fails (or an INSERT) outside a transaction block runs inside a BEGIN pgpool adds and never ends, so the client gets ReadyForQuery E (or T) where PostgreSQL says I, and 25P02 for what follows',
    link: `${ISSUES}/172`,
    source: 'issue',
    divergence: [
      { kind: 'messages', pattern: 'ReadyForQuery:[ET]' },
      { kind: 'sqlstate', pattern: 'ReadyForQuery:E' },
      { kind: 'error', sqlstate: '25P02' },
    ],
  },
  {
    // profile.ts's UNKNOWN_STATEMENT, met by a Bind of a name whose Parse the server skipped:
    // FATAL before 4.7; from 4.7 an ERROR XX000 in the pipeline, after PostgreSQL's own 42601.
    scenarios: ['prepared-statements/skipped-parse-bound-and-parsed-again-in-one-write'],
    reason:
      'pgpool bug: a Bind of a name whose Parse the server skipped after an error (so pgpool has no Parse on record) gets XX000 where PostgreSQL returns 26000: before 4.7 FATAL, closing the connection; from 4.7 an ERROR, and the pipeline goes on',
    link: `${ISSUES}/169`,
    source: 'issue',
    divergence: [{ kind: 'closed', sqlstate: 'XX000' }, { kind: 'sqlstate' }],
  },
  {
    // The same internal BEGIN, met at the end of a long pipeline whose reply the pattern above
    // does not reach: the failing Parse's segment ends in ReadyForQuery E (seen on 4.3.5).
    scenarios: ['prepared-statements/mixed-pipeline-replies-in-order'],
    versions: '<4.7',
    reason:
      'pgpool bug: a Parse that fails outside a transaction block runs inside a BEGIN pgpool adds and never ends, so the segment ends in ReadyForQuery E where PostgreSQL says I',
    link: `${ISSUES}/172`,
    source: 'issue',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: ['prepared-statements/own-discard-all-executed-over-protocol'],
    reason: 'pgpool bug: DISCARD ALL sent through the extended protocol closes the client connection',
    link: `${ISSUES}/175`,
    source: 'issue',
    divergence: { kind: 'closed' },
  },
  {
    scenarios: [
      'protocol-framing/copy-bad-row-before-copy-done',
      'protocol-framing/copy-bad-row-before-copy-done-in-transaction',
      'protocol-framing/copy-extended-bad-row-before-copy-done',
      'protocol-framing/copy-named-statement',
    ],
    reason:
      'pgpool bug: during COPY FROM STDIN pgpool reads only the client until its CopyDone or CopyFail, so the ErrorResponse PostgreSQL sends at once for a bad row (and its ReadyForQuery) reaches the client only after the client sends something more; a client that waits for the error before finishing hangs',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY',
    source: 'observed',
    divergence: { kind: 'no-answer' },
  },
  {
    // Fixed in 4.7 (https://github.com/pgpool/pgpool2/commit/23363900b1f8d17fd22a5daa7576d37a0e20c2b1 and earlier).
    scenarios: [
      'protocol-framing/copy-extended-flush-and-sync-in-copy-in',
      'protocol-framing/copy-named-statement',
      'protocol-framing/copy-in-batch-rolled-back-by-later-error',
      'protocol-framing/copy-out-and-in-in-one-batch',
      'protocol-framing/binary-copy-out-and-in',
    ],
    versions: '<4.7',
    reason:
      'pgpool bug: an extended-protocol COPY FROM STDIN whose data, Flush or Sync come with or right after the Execute (PostgreSQL ignores Flush and Sync in copy-in mode) hangs: pgpool waits for replies PostgreSQL never sends',
    link: `${ISSUES}/162`,
    source: 'issue',
    divergence: { kind: 'no-answer' },
  },
  {
    scenarios: ['protocol-framing/copy-extended-fail-then-sync', 'protocol-framing/copy-simple-flush-in-copy-in-and-sync-after'],
    versions: '<4.6',
    reason:
      "pgpool bug: a Sync sent after an extended-protocol COPY's Execute, or a Flush among a simple COPY's data, is taken as a request owed a reply: the CopyFail's error or the COPY's end never reaches the client",
    link: `${ISSUES}/162`,
    source: 'issue',
    divergence: { kind: 'no-answer' },
  },
  {
    scenarios: ['prepared-statements/two-sql-prepares-in-one-query'],
    versions: '<4.3.7 || >=4.4.0 <4.4.4',
    reason:
      'pgpool bug: of two PREPAREs in one query string pgpool records only the first, so a Bind of the second ends the session (FATAL XX000 "unable to bind"); fixed in 4.3.7 and 4.4.4',
    link: `${COMMIT}/0d54c68d5cfba549e5b6fb7d3247d66ee50ab1d9`,
    source: 'issue',
    divergence: { kind: 'closed', sqlstate: 'XX000' },
  },
  {
    // Describe was fixed in 4.3.8 and 4.4.5
    // (https://github.com/pgpool/pgpool2/commit/e84fe9e5a8d93b7b0e347ee2c7d03a26d2dd7296); Execute is still refused in 4.7.3.
    scenarios: ['prepared-statements/describe-declared-cursor-as-portal'],
    reason:
      'pgpool bug: a Describe (before 4.3.8) or an Execute of a portal made by DECLARE CURSOR ends the session with FATAL XX000 ("unable to execute Describe", "unable to Execute"): pgpool knows only portals it saw bound',
    link: 'https://www.postgresql.org/docs/current/sql-declare.html',
    source: 'observed',
    divergence: { kind: 'closed', sqlstate: 'XX000' },
  },
  {
    scenarios: ['transactions/empty-query-in-aborted-transaction'],
    versions: '<4.7',
    reason:
      'pgpool bug: in a failed transaction pgpool answers every query but ROLLBACK itself with 25P02 (since 4.3.2, pgpool2#161), an empty one too, where PostgreSQL answers EmptyQueryResponse; fixed for empty queries in 4.7',
    link: `${COMMIT}/aed190d0221dd15655cf57b3beea6a8c4c9aa2e1`,
    source: 'issue',
    divergence: { kind: 'error', sqlstate: '25P02' },
  },
  {
    scenarios: ['protocol-framing/message-length-past-the-limit-closes-only-that-client'],
    reason:
      'pgpool tries to allocate the 2 GB a broken length word claims and answers ERROR XX000 "invalid memory alloc request size", where PostgreSQL closes the connection without a word',
    link: 'https://www.postgresql.org/docs/current/protocol-message-formats.html',
    source: 'observed',
    divergence: [
      { kind: 'error', sqlstate: 'XX000' },
      { kind: 'closed', sqlstate: 'XX000' },
    ],
  },
  {
    scenarios: ['protocol-framing/message-too-short-for-its-fields-is-an-error'],
    reason:
      'pgpool ends the session with FATAL XX000 ("unable to execute close, invalid message") for a Close of an unknown kind, where PostgreSQL answers ERROR 08P01 and the session goes on',
    link: 'https://www.postgresql.org/docs/current/protocol-message-formats.html',
    source: 'observed',
    divergence: { kind: 'closed', sqlstate: 'XX000' },
  },
  {
    scenarios: [
      'protocol-framing/unknown-message-type-rolls-back-open-transaction',
      'protocol-framing/unknown-message-type-x-closes-only-that-client',
    ],
    reason:
      'pgpool answers an unknown message type (inside a transaction or not) with XX000 "unable to process frontend response", where PostgreSQL sends FATAL 08P01 (protocol violation); both close the connection',
    link: 'https://www.postgresql.org/docs/current/errcodes-appendix.html',
    source: 'observed',
    divergence: { kind: 'closed', sqlstate: 'XX000' },
  },
];
