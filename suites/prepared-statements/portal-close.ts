// Named portals as drivers with cursors use them: Close of a portal frees its name for another
// Bind, Close of a statement leaves the portals made from it running, and several portals can
// be open and executed in turns. Portals live until the end of their transaction (the Sync of
// an implicit one). https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';
const CLOSE = 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSE';

const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];
const begin: FrontendMessage = msg.query('BEGIN');

export default [
  defineScenario({
    id: 'prepared-statements/close-portal-then-bind-its-name-again',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A driver closes a named portal and binds the same portal name again before one Sync (cursor reuse): CloseComplete, then the new portal runs; once closed, the old portal is gone (34000). A pooler that loses the CloseComplete or keeps the closed portal shifts every later reply.',
    docs: CLOSE,
    sessions: { a: {} },
    steps: [
      { session: 'a', messages: [begin], expect: { messages: ['CommandComplete', 'ReadyForQuery:T'] } },
      {
        session: 'a',
        label: 'Parse {{st}}, Bind it to portal {{p}}, Describe {{p}}, Close {{p}}, Bind {{p}} again, Execute {{p}}, Sync',
        messages: [
          msg.parse('{{st}}', 'SELECT 42 AS answer'),
          msg.bind('{{st}}', [], '{{p}}'),
          msg.describePortal('{{p}}'),
          msg.closePortal('{{p}}'),
          msg.bind('{{st}}', [], '{{p}}'),
          msg.execute('{{p}}'),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'BindComplete', 'RowDescription', 'CloseComplete', ...ran, 'ReadyForQuery:T'], rows: [['42']] },
      },
      {
        session: 'a',
        label: 'Close {{p}}, Execute {{p}}, Sync: the portal is gone',
        messages: [msg.closePortal('{{p}}'), msg.execute('{{p}}'), msg.sync()],
        expect: { messages: ['CloseComplete', 'ErrorResponse:34000', 'ReadyForQuery:E'] },
      },
      { session: 'a', sql: 'ROLLBACK' },
      {
        session: 'a',
        label: 'outside a transaction: Bind {{st}} to {{p}}, Close {{p}}, Sync; then a failing Parse, Close {{p}}, Sync',
        messages: [
          msg.bind('{{st}}', [], '{{p}}'),
          msg.closePortal('{{p}}'),
          msg.sync(),
          msg.parse('', 'SELEC 1'),
          msg.closePortal('{{p}}'),
          msg.sync(),
        ],
        expect: { messages: ['BindComplete', 'CloseComplete', 'ReadyForQuery:I', 'ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Close of a portal that does not exist is no error; then run {{st}}',
        messages: [msg.closePortal('{{p}}'), msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['CloseComplete', ...ran, 'ReadyForQuery:I'], rows: [['42']] },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/close-statement-with-open-portal',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Closing a statement while a portal made from it is open (a driver evicting its statement cache mid-fetch) leaves that portal running; only later Binds of the name fail (26000). A pooler that closes the statement on the server under the portal, or answers the Bind from its own cache, gives other results.',
    docs: CLOSE,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label:
          'one write: Parse {{st}}, run it in portal {{pa}}, Sync; Bind {{pb}}, Close {{st}}, Execute {{pb}}, Sync; Bind {{pc}}, Execute {{pc}}, Sync',
        messages: [
          msg.parse('{{st}}', 'SELECT $1::int AS n'),
          msg.bind('{{st}}', ['1'], '{{pa}}'),
          msg.execute('{{pa}}'),
          msg.sync(),
          msg.bind('{{st}}', ['2'], '{{pb}}'),
          msg.closeStatement('{{st}}'),
          msg.execute('{{pb}}'),
          msg.sync(),
          msg.bind('{{st}}', ['3'], '{{pc}}'),
          msg.execute('{{pc}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            ...ran,
            'ReadyForQuery:I',
            'BindComplete',
            'CloseComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
            'ErrorResponse:26000',
            'ReadyForQuery:I',
          ],
          rows: [['1'], ['2']],
        },
      },
      {
        session: 'a',
        label: 'Parse {{st}} again, run it, Sync',
        messages: [msg.parse('{{st}}', 'SELECT $1::int AS n'), msg.bind('{{st}}', ['4']), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [['4']] },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/interleaved-named-portals',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Two named portals bound and then executed in turns, before one Sync and, inside a transaction, across several Syncs with row limits (two cursors read side by side), each return their own rows; a portal name closed and bound to another statement runs the new one. A pooler that keeps one portal per client, or lets the portals of a transaction land on different servers, mixes the rows.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{s1}} and {{s2}}, Bind {{p1}} and {{p2}}, Describe both, Execute {{p2}} then {{p1}}, Sync',
        messages: [
          msg.parse('{{s1}}', 'SELECT n FROM generate_series(1, 3) AS n'),
          msg.parse('{{s2}}', "SELECT 'x' AS b, 'y' AS c"),
          msg.bind('{{s1}}', [], '{{p1}}'),
          msg.bind('{{s2}}', [], '{{p2}}'),
          msg.describePortal('{{p1}}'),
          msg.describePortal('{{p2}}'),
          msg.execute('{{p2}}'),
          msg.execute('{{p1}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'ParseComplete',
            'BindComplete',
            'BindComplete',
            'RowDescription',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'DataRow',
            'DataRow',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          commandTags: ['SELECT 1', 'SELECT 3'],
        },
      },
      { session: 'a', messages: [begin], expect: { messages: ['CommandComplete', 'ReadyForQuery:T'] } },
      {
        session: 'a',
        label: 'Bind {{p1}} ({{s1}}) and {{p2}} ({{s1}} too), Sync',
        messages: [msg.bind('{{s1}}', [], '{{p1}}'), msg.bind('{{s1}}', [], '{{p2}}'), msg.sync()],
        expect: { messages: ['BindComplete', 'BindComplete', 'ReadyForQuery:T'] },
      },
      {
        session: 'a',
        label: 'Execute {{p1}} for one row, {{p2}} for two, Sync',
        messages: [msg.execute('{{p1}}', 1), msg.execute('{{p2}}', 2), msg.sync()],
        expect: { messages: ['DataRow', 'PortalSuspended', 'DataRow', 'DataRow', 'PortalSuspended', 'ReadyForQuery:T'], rows: [['1'], ['1'], ['2']] },
      },
      {
        session: 'a',
        label: 'Close {{p2}} and bind it to {{s2}}; Execute {{p1}} for one row, then {{p2}}, Sync',
        messages: [msg.closePortal('{{p2}}'), msg.bind('{{s2}}', [], '{{p2}}'), msg.execute('{{p1}}', 1), msg.execute('{{p2}}'), msg.sync()],
        expect: {
          messages: ['CloseComplete', 'BindComplete', 'DataRow', 'PortalSuspended', 'DataRow', 'CommandComplete', 'ReadyForQuery:T'],
          rows: [['2'], ['x', 'y']],
        },
      },
      {
        session: 'a',
        label: 'Execute the rest of {{p1}}, Sync',
        messages: [msg.execute('{{p1}}'), msg.sync()],
        expect: { messages: ['DataRow', 'CommandComplete', 'ReadyForQuery:T'], rows: [['3']] },
      },
      { session: 'a', sql: 'COMMIT' },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/portals-of-transaction-control-statements',
    category: 'prepared-statements',
    pool: 'single',
    why: "BEGIN, a query and ROLLBACK prepared as named statements and run through named portals, each in its own Sync (pgx and Npgsql prepare transaction control too): the transaction opens and closes with them; a pooler that only recognises BEGIN in a simple Query hands the open transaction's server to another client.",
    docs: EXT_QUERY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{b}} (BEGIN), {{i}} (INSERT), {{r}} (ROLLBACK), Sync; run {{b}} in portal {{p1}}, Sync; {{i}} in {{p2}}, Sync',
        messages: [
          msg.parse('{{b}}', 'BEGIN'),
          msg.parse('{{i}}', 'INSERT INTO {{t}} VALUES (1)'),
          msg.parse('{{r}}', 'ROLLBACK'),
          msg.sync(),
          msg.bind('{{b}}', [], '{{p1}}'),
          msg.execute('{{p1}}'),
          msg.sync(),
          msg.bind('{{i}}', [], '{{p2}}'),
          msg.execute('{{p2}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'ParseComplete',
            'ParseComplete',
            'ReadyForQuery:I',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery:T',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery:T',
          ],
          commandTags: ['BEGIN', 'INSERT 0 1'],
        },
      },
      // Through a pooler b waits for the server until a's transaction ends; run inside it, b would count a's row.
      { session: 'b', sql: 'SELECT count(*) FROM {{t}}', background: 'count' },
      {
        session: 'a',
        label: 'run {{r}} in portal {{p3}}, Sync',
        messages: [msg.bind('{{r}}', [], '{{p3}}'), msg.execute('{{p3}}'), msg.sync()],
        expect: { messages: ['BindComplete', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['ROLLBACK'] },
      },
      { session: 'b', await: 'count', expect: { rows: [['0']] } },
    ],
  }),
];
