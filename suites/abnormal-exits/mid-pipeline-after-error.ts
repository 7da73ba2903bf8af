// A client that drops its socket in the middle of a pipeline that already failed: an error, then
// Parse/Bind/Execute the server is skipping, and no Sync. The server is still discarding messages
// until a Sync that never comes. PostgreSQL ends the session; a pooler that hands that server on
// as it is makes the next client's first messages disappear into the skip.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-mid-pipeline-after-error',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A client that crashes after an error in its pipeline, before the Sync, must not leave the next client a server that is still skipping messages: its Parse, Bind and Execute must run.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'a failing Parse, then Parse, Bind, Execute of {{s1}}, Flush, no Sync',
        messages: [msg.parse('{{bad}}', 'SELEC 1'), msg.parse('{{s1}}', 'SELECT 1'), msg.bind('{{s1}}'), msg.execute(), msg.flush()],
        until: 'ErrorResponse',
        expect: { messages: ['ErrorResponse:42601'] },
      },
      { session: 'a', disconnect: 'abrupt', label: 'a drops its socket before any Sync' },
      {
        session: 'b',
        label: 'the next client parses the same name and runs it',
        messages: [msg.parse('{{s1}}', 'SELECT 1'), msg.bind('{{s1}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['1']] },
      },
    ],
  }),
];
