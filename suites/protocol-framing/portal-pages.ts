// A portal read page by page outside a transaction block, the way pg-cursor (pg-query-stream,
// knex's .stream()) and postgres.js's .cursor() do: Parse/Bind/Describe and Flush, then Execute
// with a row limit and Flush for each page, and Sync (or Close and Sync) only at the end. Until
// that Sync the session is inside the implicit transaction that holds the portal; each Execute
// continues where the last one stopped.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
//
// A transaction pooler must keep the client on its server connection from the first Flush to the
// Sync: one that releases it (pgdog#1330) lets the queued client b take it, and the client's next
// Execute finds no portal (34000) or a replayed one that starts again at row 1. (Where a client
// holds its server for the whole session, b gets one of its own through the wide pool.)
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

/** One page: Execute with a row limit and Flush; the rows, then PortalSuspended (or CommandComplete at the end). */
const page = (rows: number[], limit: number, last: boolean): StepSpec => ({
  session: 'a',
  label: `Execute (up to ${limit} rows), Flush`,
  messages: [msg.execute('', limit), msg.flush()],
  until: last ? 'CommandComplete' : 'PortalSuspended',
  expect: {
    messages: [...rows.map((): MessageLabel => 'DataRow'), last ? 'CommandComplete' : 'PortalSuspended'],
    rows: rows.map((r) => [String(r)]),
  },
});

/** b asks for the single pool's server while a's portal is open, and is answered once a has synced. */
const bQueues: StepSpec[] = [
  step('b', "SELECT 'b ran'", { background: 'qb', timeoutMs: 30_000, label: 'b asks for the one server connection' }),
  {
    // Only where b queues for a's server: in session pooling it has one of its own.
    session: 'observer',
    admin: {
      pooler: 'pgbouncer',
      command: 'SHOW POOLS',
      pool: 'single',
      columns: ['cl_waiting'],
      until: [['1']],
      modes: ['transaction', 'statement'],
    },
    label: "pgbouncer's console shows b waiting for the single pool's server",
  },
];
const bRuns: StepSpec = { session: 'b', await: 'qb', expect: { rows: [['b ran']] } };

const opened = (rows: number): StepSpec => ({
  session: 'a',
  label: `Parse a query of ${rows} rows, Bind, Describe the portal, Flush (no Execute yet, no Sync)`,
  messages: [msg.parse('', `SELECT i FROM generate_series(1, ${rows}) AS i ORDER BY i`), msg.bind(), msg.describePortal(), msg.flush()],
  until: 'RowDescription',
  expect: { messages: ['ParseComplete', 'BindComplete', 'RowDescription'] },
});

export default [
  defineScenario({
    id: 'protocol-framing/portal-pages-over-flush-outside-transaction',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Streaming a large result with pg-cursor or pg-query-stream reads a portal three rows at a time over Flush, outside any BEGIN; every page must continue where the last stopped, or rows are lost, repeated, or the stream fails with 34000.',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      opened(10),
      ...bQueues,
      page([1, 2, 3], 3, false),
      page([4, 5, 6], 3, false),
      page([7, 8, 9], 3, false),
      page([10], 3, true),
      {
        session: 'a',
        label: 'Close the portal, Sync',
        messages: [msg.closePortal(), msg.sync()],
        expect: { messages: ['CloseComplete', 'ReadyForQuery:I'] },
      },
      bRuns,
    ],
  }),
  defineScenario({
    id: 'protocol-framing/portal-closed-after-two-pages',
    category: 'protocol-framing',
    pool: 'single',
    why: "A cursor the application stops early (postgres.js's .cursor() returning sql.CLOSE after two batches) closes its portal with Close and Sync: the session must be idle at once, with nothing more of the portal's rows, and usable for the next query.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      opened(20),
      ...bQueues,
      page([1, 2, 3, 4, 5], 5, false),
      page([6, 7, 8, 9, 10], 5, false),
      {
        session: 'a',
        label: 'stop early: Close the portal, Sync',
        messages: [msg.closePortal(), msg.sync()],
        expect: { messages: ['CloseComplete', 'ReadyForQuery:I'] },
      },
      bRuns,
      {
        session: 'a',
        label: 'the portal is gone: Execute of it fails',
        messages: [msg.execute('', 5), msg.sync()],
        expect: { messages: ['ErrorResponse:34000', 'ReadyForQuery:I'] },
      },
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
    ],
  }),
];
