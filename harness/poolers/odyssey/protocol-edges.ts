// Where Odyssey differs from PostgreSQL at the protocol's edges (issue 18's wire items: a
// client's own DEALLOCATE/DISCARD, failed and skipped Parse, COPY, portals, fast-path calls).
// Checked by raw-protocol runs against 1.5.2 (Debian sid, PostgreSQL 18) in session pooling,
// transaction pooling with its 1.5 defaults, and transaction pooling without prepared-statement
// support.
import type { ProfileEntry } from '../profile.ts';

const POOLING = 'https://github.com/yandex/odyssey/blob/master/docs/features/pooling.md';
const RULES = 'https://github.com/yandex/odyssey/blob/master/docs/configuration/rules.md';

const RESERVED = { settings: { pool_reserve_prepared_statement: 'yes' } } as const;
const NOT_RESERVED = { settings: { pool_reserve_prepared_statement: 'no', pool_discard: 'yes' } } as const;

/**
 * Odyssey answers a bare BEGIN itself and sends it to the server only with the client's next
 * query (deferred BEGIN, "virtual_transaction" in its global config, on by default); a
 * FunctionCall does not count as one, so it runs, and commits, before the transaction starts.
 */
const FUNCTION_CALL_OUTSIDE_TRANSACTION: ProfileEntry = {
  scenarios: ['protocol-framing/function-call-large-object-write-and-read', 'protocol-framing/case-function-call-large-object'],
  reason:
    "Odyssey defers a client's BEGIN until its next query, and a FunctionCall is not one: a large-object call made right after BEGIN runs and commits on its own (ReadyForQuery I where PostgreSQL says T; a ROLLBACK does not undo it, another client sees it at once)",
  link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-FUNCTION-CALL',
  source: 'observed',
  divergence: [{ kind: 'messages' }, { kind: 'rows' }],
};

/** The defect profile.ts documents as QUERY_SKIPPED_BEFORE_SYNC, met by the case that reproduces it. */
const QUERY_SKIPPED_BEFORE_SYNC: ProfileEntry = {
  scenarios: ['protocol-framing/case-query-discarded-until-sync'],
  reason:
    'a simple Query pipelined after a failing extended-protocol message is skipped by PostgreSQL (it discards everything until Sync), but Odyssey still counts it as a request awaiting ReadyForQuery: the answer to the Sync is never forwarded and the client waits forever',
  link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
  source: 'observed',
  divergence: { kind: 'no-answer' },
};

const RESERVED_ENTRIES: readonly ProfileEntry[] = [
  {
    scenarios: ['prepared-statements/two-sql-prepares-in-one-query'],
    ...RESERVED,
    reason: 'with prepared-statement support a Bind names only statements Odyssey saw parsed, not ones made by SQL PREPARE (26000)',
    link: `${RULES}#pool_reserve_prepared_statement`,
    divergence: { kind: 'error', sqlstate: '26000' },
  },
  {
    scenarios: ['prepared-statements/failed-unnamed-parse-drops-previous'],
    ...RESERVED,
    reason:
      "with prepared-statement support Odyssey keeps the client's earlier unnamed statement when a new unnamed Parse fails, and binds it, where PostgreSQL has dropped it (26000)",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: { kind: 'no-error' },
  },
  {
    scenarios: ['prepared-statements/failed-unnamed-parse-mid-segment-leaves-none'],
    ...RESERVED,
    reason:
      "with prepared-statement support Odyssey keeps the client's earlier unnamed statement when a new unnamed Parse fails mid-segment, and binds it in the next segment, where PostgreSQL has dropped it (26000)",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: [{ kind: 'no-error' }, { kind: 'sqlstate' }],
  },
  {
    scenarios: ['prepared-statements/own-simple-query-drops-unnamed-statement'],
    ...RESERVED,
    reason:
      'with prepared-statement support Odyssey refuses a Bind of the unnamed statement a simple Query destroyed with a 26000 of its own, without the server seeing the Bind, so inside a transaction the client gets ReadyForQuery T where PostgreSQL has failed the transaction (E)',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    source: 'observed',
    divergence: { kind: 'messages' },
  },
];

const NOT_RESERVED_ENTRIES: readonly ProfileEntry[] = [
  {
    scenarios: [
      'prepared-statements/cached-plan-must-not-change-result-type',
      'prepared-statements/close-portal-then-bind-its-name-again',
      'prepared-statements/close-statement-with-open-portal',
      'prepared-statements/error-in-one-sync-segment-of-a-write',
      'prepared-statements/failed-named-parse-in-pipeline',
      'prepared-statements/failed-unnamed-parse-drops-previous',
      'prepared-statements/interleaved-named-portals',
      'prepared-statements/own-deallocate-all-then-parse-in-same-sync',
      'prepared-statements/own-deallocate-name-drops-protocol-statement',
      'prepared-statements/own-deallocate-prepare-name-drops-protocol-statement',
      'prepared-statements/own-discard-all-executed-over-protocol',
      'prepared-statements/own-simple-query-drops-unnamed-statement',
      'prepared-statements/portals-of-transaction-control-statements',
      'prepared-statements/skipped-parse-and-close-change-nothing',
      'prepared-statements/skipped-reparse-keeps-old-query',
      'prepared-statements/skipped-unnamed-parse-keeps-previous',
      'prepared-statements/two-sql-prepares-in-one-query',
      'protocol-framing/binary-null-bool-and-bytea',
      'protocol-framing/copy-in-batch-rolled-back-by-later-error',
      'protocol-framing/copy-named-statement',
      'protocol-framing/large-named-parse-and-bind',
      'protocol-framing/pipelined-parses-filling-the-packet-buffer',
      'protocol-framing/query-function-call-and-bare-sync-as-sync-points',
      'protocol-framing/statement-name-longer-than-packet-buffer',
      'transactions/empty-statement-over-extended-protocol-in-transaction',
      'protocol-framing/case-binary-format-codes',
    ],
    ...NOT_RESERVED,
    reason:
      'without prepared-statement support "transaction pooling does not preserve session state between transactions": DISCARD ALL after each transaction drops every prepared statement, so one parsed in an earlier transaction (a Sync earlier) is gone (26000)',
    link: POOLING,
    divergence: [{ kind: 'error', sqlstate: '26000' }, { kind: 'sqlstate', sqlstate: '26000' }, { kind: 'messages' }],
  },
];

export const protocolEdges: Readonly<Record<'session' | 'transaction', readonly ProfileEntry[]>> = {
  session: [FUNCTION_CALL_OUTSIDE_TRANSACTION, QUERY_SKIPPED_BEFORE_SYNC],
  transaction: [FUNCTION_CALL_OUTSIDE_TRANSACTION, QUERY_SKIPPED_BEFORE_SYNC, ...RESERVED_ENTRIES, ...NOT_RESERVED_ENTRIES],
};
