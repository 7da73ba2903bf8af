// A large result read through a named portal in chunks inside a read-only transaction, one
// Execute with a row limit and a Sync per chunk, as userver's portal API fetches (Odyssey's
// test/drivers/userver test_portal_scan: 50,000 rows in chunks of 1 to 1024, and the tail after
// a given id in chunks of 113). PostgreSQL keeps the portal until the transaction ends: every
// row comes once, in order, and a chunk that fills up ends with PortalSuspended (the next
// Execute then finds the portal exhausted: SELECT 0).
import { defineScenario, msg } from '../../harness/scenario/define.ts';
import type { Cell, MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import type { FrontendMessage } from '../../harness/wire/messages.ts';

const TOTAL = 50000;
const SCAN = "SELECT id, 'note-' || id || '|' || repeat('x', 40) AS text FROM generate_series($1::bigint + 1, 50000) AS id";

/**
 * What PostgreSQL sends for chunks of `n` rows over `rows` rows: each full chunk suspends, the
 * first short one completes; `upTo` stops after that many rows with the portal still open.
 */
function chunks(rows: number, n: number, upTo?: number): { sent: FrontendMessage[]; replies: MessageLabel[] } {
  const sent: FrontendMessage[] = [];
  const replies: MessageLabel[] = [];
  for (let left = rows; ; left -= n) {
    if (upTo !== undefined && rows - left >= upTo) return { sent, replies };
    sent.push(msg.execute('{{p}}', n), msg.sync());
    const k = Math.min(n, left);
    for (let i = 0; i < k; i++) replies.push('DataRow');
    if (k < n) {
      replies.push('CommandComplete', 'ReadyForQuery:T');
      return { sent, replies };
    }
    replies.push('PortalSuspended', 'ReadyForQuery:T');
  }
}

const notes = (after: number): Cell[][] =>
  Array.from({ length: TOTAL - after }, (_, i) => [String(after + i + 1), `note-${after + i + 1}|${'x'.repeat(40)}`]);

/** BEGIN READ ONLY; the portal bound in its own Sync; then the chunks, one Sync each, in one write; COMMIT. */
const scan = (after: number, n: number, upTo?: number): StepSpec[] => {
  const rows = upTo ?? TOTAL - after;
  const { sent, replies } = chunks(TOTAL - after, n, upTo);
  return [
    { session: 'a', messages: [msg.query('BEGIN READ ONLY')], expect: { messages: ['CommandComplete', 'ReadyForQuery:T'] } },
    {
      session: 'a',
      label: `Parse, Bind portal {{p}} (rows after id ${after}), Sync; then Execute {{p}} ${n} rows at a time, a Sync after each`,
      messages: [msg.parse('', SCAN), msg.bind('', [String(after)], '{{p}}'), msg.sync(), ...sent],
      expect: { messages: ['ParseComplete', 'BindComplete', 'ReadyForQuery:T', ...replies], rows: notes(after).slice(0, rows) },
    },
    { session: 'a', messages: [msg.query('COMMIT')], expect: { messages: ['CommandComplete', 'ReadyForQuery:I'] } },
  ];
};

export default [
  defineScenario({
    id: 'protocol-framing/portal-scan-in-chunks-across-syncs',
    category: 'protocol-framing',
    pool: 'single',
    why: "A service that streams a large result through a portal, a chunk per round trip inside a read-only transaction, must get every row once and in order whatever the chunk size; a pooler that loses or repeats rows where a chunk meets its buffer boundaries, or ends the transaction at a chunk's ReadyForQuery, corrupts the scan or loses the portal (34000).",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    sessions: { a: {}, b: {} },
    steps: [
      ...scan(0, 1024),
      ...scan(0, 128),
      ...scan(0, 64),
      ...scan(0, 7),
      // One row per round trip: the first 2,000 rows, then COMMIT closes the portal.
      ...scan(0, 1, 2000),
      ...scan(3456, 113),
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
    ],
  }),
];
