// A portal (a bound statement) can be described and executed until the transaction it was
// created in ends: the unnamed one and named ones alike are closed at COMMIT or at the Sync
// that ends an implicit transaction; inside a transaction block they outlive Sync.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

export default [
  defineScenario({
    id: 'prepared-statements/describe-portal',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Describe of a portal must report the columns the Execute will send (NoData for a statement without rows); drivers decode the rows with it. After Sync the portal is gone (34000).',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse, Bind to portal {{p}}, Describe the portal, Execute it, Sync',
        messages: [
          msg.parse('', 'SELECT $1::int AS n, $2::text AS t'),
          msg.bind('', ['7', 'x'], '{{p}}'),
          msg.describePortal('{{p}}'),
          msg.execute('{{p}}'),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'BindComplete', 'RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['7', 'x']] },
      },
      {
        session: 'a',
        label: 'Parse a statement without rows, Bind, Describe the portal, Execute, Sync',
        messages: [msg.parse('', 'DO $$ BEGIN END $$'), msg.bind(), msg.describePortal(), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'NoData', 'CommandComplete', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Describe portal {{p}} after the Sync that ended its transaction, Sync',
        messages: [msg.describePortal('{{p}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:34000', 'ReadyForQuery'] },
      },
    ],
  }),
  defineScenario({
    id: 'prepared-statements/named-portal-lives-until-transaction-end',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Inside a transaction block a portal outlives Sync, so a driver can fetch a result in chunks over several round trips; it must be gone after COMMIT.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      { session: 'a', messages: [msg.query('BEGIN')], expect: { messages: ['CommandComplete', 'ReadyForQuery'] } },
      {
        session: 'a',
        label: 'Parse, Bind to portal {{p}}, Execute one row, Sync',
        messages: [msg.parse('', 'SELECT generate_series(1, 3) AS n'), msg.bind('', [], '{{p}}'), msg.execute('{{p}}', 1), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'PortalSuspended', 'ReadyForQuery'], rows: [['1']] },
      },
      {
        session: 'a',
        label: 'Describe portal {{p}}, Execute the rest, Sync',
        messages: [msg.describePortal('{{p}}'), msg.execute('{{p}}'), msg.sync()],
        expect: { messages: ['RowDescription', 'DataRow', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['2'], ['3']] },
      },
      { session: 'a', messages: [msg.query('COMMIT')], expect: { messages: ['CommandComplete', 'ReadyForQuery'] } },
      {
        session: 'a',
        label: 'Describe portal {{p}} after COMMIT, Sync',
        messages: [msg.describePortal('{{p}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:34000', 'ReadyForQuery'] },
      },
    ],
  }),
];
