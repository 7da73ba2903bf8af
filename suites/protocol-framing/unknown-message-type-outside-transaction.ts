// A frontend message of a type the protocol does not have ('x', which YugabyteDB's connection
// manager uses between itself and its backends) is refused by PostgreSQL with FATAL 08P01
// "invalid frontend message type" and the connection closed. A pooler that treats such a type as
// its own internal message, or forwards it to a pooled server, acts on a client's forged message
// or loses the server for the next client.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'protocol-framing/unknown-message-type-x-closes-only-that-client',
    category: 'protocol-framing',
    pool: 'single',
    why: "A message of the unknown type 'x' carrying a SQLSTATE and a text must end only that client's connection (FATAL 08P01), not be taken as a pooler's own message, and the next client of the pool must run normally.",
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html',
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } },
      {
        session: 'a',
        label: "a message of type x: '26000', 'injected'",
        messages: [msg.raw('x', '26000\u0000injected\u0000')],
        until: 'close',
        expect: { messages: ['ErrorResponse:08P01'] },
      },
      {
        session: 'b',
        label: 'the next client parses and runs a statement',
        messages: [msg.parse('{{s1}}', 'SELECT 1'), msg.bind('{{s1}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['1']] },
      },
    ],
  }),
];
