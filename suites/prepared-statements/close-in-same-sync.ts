// Close of a statement in the same Sync as its Parse (spqr's xproto TestClose): PostgreSQL
// takes the messages in order, so the statement exists for the messages between them and is
// gone after the Close; Close of a name that does not exist is no error.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'prepared-statements/close-in-same-sync-as-parse',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A driver that closes a statement in the same pipeline segment it parsed it in (a one-off statement, or a cache eviction) must find the name free afterwards: a Bind of it fails with 26000 and a re-Parse succeeds; a pooler that records the Parse after the Close, or forwards the Close of a statement it has not yet prepared on the server, leaves a phantom statement or refuses the re-Parse.',
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSE',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Close {{p1}} (not there yet), Parse {{p1}} (an empty query), Close {{p1}}, Sync; Parse {{p1}}, Sync (one write)',
        messages: [
          msg.closeStatement('{{p1}}'),
          msg.parse('{{p1}}', ''),
          msg.closeStatement('{{p1}}'),
          msg.sync(),
          msg.parse('{{p1}}', ''),
          msg.sync(),
        ],
        expect: { messages: ['CloseComplete', 'ParseComplete', 'CloseComplete', 'ReadyForQuery:I', 'ParseComplete', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Close {{p3}}, Parse {{p3}}, Close {{p3}}, Sync; Bind {{p3}}, Sync (one write)',
        messages: [
          msg.closeStatement('{{p3}}'),
          msg.parse('{{p3}}', 'SELECT 3'),
          msg.closeStatement('{{p3}}'),
          msg.sync(),
          msg.bind('{{p3}}'),
          msg.sync(),
        ],
        expect: { messages: ['CloseComplete', 'ParseComplete', 'CloseComplete', 'ReadyForQuery:I', 'ErrorResponse:26000', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Close {{p2}}, Parse {{p2}}, Bind it to portal {{port}}, Close portal {{port}}, Execute {{port}}, Sync',
        messages: [
          msg.closeStatement('{{p2}}'),
          msg.parse('{{p2}}', 'SELECT 2'),
          msg.bind('{{p2}}', [], '{{port}}'),
          msg.closePortal('{{port}}'),
          msg.execute('{{port}}'),
          msg.sync(),
        ],
        expect: { messages: ['CloseComplete', 'ParseComplete', 'BindComplete', 'CloseComplete', 'ErrorResponse:34000', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Parse {{p3}} again, run it, Close it, Sync',
        messages: [msg.parse('{{p3}}', 'SELECT 33'), msg.bind('{{p3}}'), msg.execute(), msg.closeStatement('{{p3}}'), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'CloseComplete', 'ReadyForQuery:I'], rows: [['33']] },
      },
    ],
  }),
];
