// Execute with a row limit, as spqr's xproto TestExecuteMaxRows sends it: partial Executes of
// one portal separated by Flush, a last Execute that finds nothing left (SELECT 0), an unnamed
// portal gone after its Sync (34000), a limit of 0 for every row, a Parse and Close behind a
// suspended portal, and a row-limited UPDATE, which runs in full: a limit applies only to
// commands that return rows (protocol-flow.html, "Extended Query").
import { defineScenario, msg } from '../../harness/scenario/define.ts';
import type { MessageLabel } from '../../harness/scenario/model.ts';

// The unnamed statement, parsed in each step: the steps are separate transactions.
const TEN = msg.parse('', 'SELECT * FROM generate_series(1, 10)');
const UPDATE = msg.parse('', 'UPDATE {{t}} SET v = v + 10');
const rows = (n: number): MessageLabel[] => Array.from({ length: n }, () => 'DataRow' as const);
const series = (from: number, to: number): string[][] => Array.from({ length: to - from + 1 }, (_, i) => [String(from + i)]);

export default [
  defineScenario({
    id: 'protocol-framing/portal-row-limits-across-flush-and-sync',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A driver that fetches a portal in batches (Execute with a row limit, Flush between batches) must get each batch in order, PortalSuspended after each, SELECT 0 when nothing is left, and the unnamed portal gone after the Sync; a pooler that treats PortalSuspended as the end of the query, or that caps an UPDATE by the row limit, loses rows or leaves the session out of step.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    setup: ['CREATE TABLE {{t}} (v int)', 'INSERT INTO {{t}} VALUES (1), (2), (3)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse (ten rows), Bind, Execute 5, Flush, Execute 3, Flush, Execute 2, Flush, Execute 2, Sync',
        messages: [
          TEN,
          msg.bind(),
          msg.execute('', 5),
          msg.flush(),
          msg.execute('', 3),
          msg.flush(),
          msg.execute('', 2),
          msg.flush(),
          msg.execute('', 2),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            ...rows(5),
            'PortalSuspended',
            ...rows(3),
            'PortalSuspended',
            ...rows(2),
            'PortalSuspended',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: series(1, 10),
          commandTags: ['SELECT 0'],
        },
      },
      {
        session: 'a',
        label: 'Parse, Bind, Execute 5, Sync, then Execute the unnamed portal again after the Sync',
        messages: [TEN, msg.bind(), msg.execute('', 5), msg.sync(), msg.execute('', 5), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'BindComplete', ...rows(5), 'PortalSuspended', 'ReadyForQuery:I', 'ErrorResponse:34000', 'ReadyForQuery:I'],
          rows: series(1, 5),
        },
      },
      {
        session: 'a',
        label: 'Parse, Bind, Execute with limit 0 (no limit), Sync',
        messages: [TEN, msg.bind(), msg.execute('', 0), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'BindComplete', ...rows(10), 'CommandComplete', 'ReadyForQuery:I'],
          rows: series(1, 10),
          commandTags: ['SELECT 10'],
        },
      },
      {
        session: 'a',
        label: 'Parse, Bind, Execute 2, then Parse and Close {{other}} behind the suspended portal, Sync',
        messages: [TEN, msg.bind(), msg.execute('', 2), msg.parse('{{other}}', 'SELECT 1'), msg.closeStatement('{{other}}'), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'BindComplete', ...rows(2), 'PortalSuspended', 'ParseComplete', 'CloseComplete', 'ReadyForQuery:I'],
          rows: series(1, 2),
        },
      },
      { session: 'a', messages: [msg.query('BEGIN')], expect: { messages: ['CommandComplete', 'ReadyForQuery:T'] } },
      {
        session: 'a',
        label: 'in the transaction: an UPDATE of three rows executed with limit 1 (Describe first), Sync',
        messages: [UPDATE, msg.bind(), msg.describePortal(), msg.execute('', 1), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'NoData', 'CommandComplete', 'ReadyForQuery:T'], commandTags: ['UPDATE 3'] },
      },
      {
        session: 'a',
        label: 'the UPDATE again with limit 0, a Parse and Close behind it, Sync',
        messages: [UPDATE, msg.bind(), msg.execute('', 0), msg.parse('{{other}}', 'SELECT 1'), msg.closeStatement('{{other}}'), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'BindComplete', 'CommandComplete', 'ParseComplete', 'CloseComplete', 'ReadyForQuery:T'],
          commandTags: ['UPDATE 3'],
        },
      },
      {
        session: 'a',
        messages: [msg.query('SELECT sum(v) FROM {{t}}')],
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:T'], rows: [['66']] },
      },
      { session: 'a', messages: [msg.query('ROLLBACK')], expect: { messages: ['CommandComplete', 'ReadyForQuery:I'] } },
      { session: 'b', sql: 'SELECT sum(v) FROM {{t}}', expect: { rows: [['6']] } },
    ],
  }),
];
