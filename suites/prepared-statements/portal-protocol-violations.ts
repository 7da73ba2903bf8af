// Describe of a portal that is not there, and a Bind whose format codes do not match its
// parameters (spqr's xproto TestPrepStmtSimpleProtoViolation): PostgreSQL answers each with an
// ERROR (34000, 26000, 08P01) and the session goes on.
// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'prepared-statements/unnamed-portal-describe-and-bind-errors',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A Describe of an unnamed portal never bound, or bound before the last Sync, fails with 34000; a Bind of an unknown statement with 26000; a Bind with two format codes and no parameters with 08P01; each is an ERROR the session survives. A pooler that answers these itself with other codes, closes the connection, or forwards a Describe to a server where another client left an unnamed portal, breaks drivers that recover from such errors.',
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{v1}}, Describe the unnamed portal (never bound), Sync; Close {{v1}}, Sync',
        messages: [msg.parse('{{v1}}', "select 'Hello, world!';"), msg.describePortal(), msg.sync(), msg.closeStatement('{{v1}}'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ErrorResponse:34000', 'ReadyForQuery:I', 'CloseComplete', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Parse {{v2}}, Bind it, Describe the portal, Sync; Describe the portal again, Sync; Close {{v2}}, Sync',
        messages: [
          msg.parse('{{v2}}', "select 'Hello, world!';"),
          msg.bind('{{v2}}'),
          msg.describePortal(),
          msg.sync(),
          msg.describePortal(),
          msg.sync(),
          msg.closeStatement('{{v2}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'RowDescription',
            'ReadyForQuery:I',
            'ErrorResponse:34000',
            'ReadyForQuery:I',
            'CloseComplete',
            'ReadyForQuery:I',
          ],
        },
      },
      {
        session: 'a',
        label: 'Bind a statement name never parsed, Sync',
        messages: [msg.bind('{{nowhere}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Parse {{two}} (SELECT $1, $2), Bind it with two format codes and no parameters, Sync',
        messages: [
          msg.closeStatement('{{two}}'),
          msg.parse('{{two}}', 'SELECT $1, $2'),
          msg.bind('{{two}}', [], '', { params: ['text', 'text'] }),
          msg.sync(),
        ],
        expect: { messages: ['CloseComplete', 'ParseComplete', 'ErrorResponse:08P01', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'the session goes on: Bind {{two}} properly, Execute, Sync',
        messages: [msg.bind('{{two}}', ['a', 'b']), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['a', 'b']] },
      },
    ],
  }),
];
