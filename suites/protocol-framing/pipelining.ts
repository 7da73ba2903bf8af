// Several extended-protocol messages before one Sync; the replies come in order and the
// server answers the Sync with one ReadyForQuery.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING
import type { MessageLabel } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const PIPELINING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING';
const EXT = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

const tenExecutions = Array.from({ length: 10 }, (_, i) => [msg.bind('', [String(i)]), msg.execute()]).flat();

export default [
  defineScenario({
    id: 'protocol-framing/many-messages-before-one-sync',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Drivers pipeline whole batches before one Sync; a pooler that answers too early or reorders replies corrupts every batch.',
    docs: PIPELINING,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('', 'SELECT $1::int * 2'), ...tenExecutions, msg.sync()],
        expect: {
          messages: [
            'ParseComplete',
            ...Array.from({ length: 10 }, (): MessageLabel[] => ['BindComplete', 'DataRow', 'CommandComplete']).flat(),
            'ReadyForQuery',
          ],
        },
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/flush-describe-before-bind',
    category: 'protocol-framing',
    pool: 'single',
    why: 'postgres.js prepares with Parse + Describe + Flush and binds only after reading the description; a pooler that waits for Sync before answering hangs it.',
    docs: EXT,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('', 'SELECT $1::text AS greeting'), msg.describeStatement(''), msg.flush()],
        until: 'RowDescription',
        expect: { messages: ['ParseComplete', 'ParameterDescription', 'RowDescription'] },
      },
      {
        session: 'a',
        messages: [msg.bind('', ['hello']), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['hello']] },
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/error-mid-pipeline-skips-until-sync',
    category: 'protocol-framing',
    pool: 'single',
    why: 'After an error the server discards everything up to Sync, a simple Query included; a pooler that forwards the discarded Query or counts one ReadyForQuery too many hangs the client.',
    docs: EXT,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('', 'SELEC 1'), msg.bind(), msg.execute(), msg.query('SELECT 42'), msg.sync()],
        until: 'ReadyForQuery',
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery'] },
        label: 'a failing Parse, then Bind, Execute and a simple Query before one Sync',
      },
      {
        session: 'a',
        messages: [msg.query('SELECT 7')],
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['7']] },
        label: 'the next query gets its own reply, nothing left over from the discarded one',
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/portal-executed-in-chunks',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Cursor-style fetching (Execute with a row limit) must resume the same portal; a pooler that loses it breaks streaming reads.',
    docs: EXT,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('', 'SELECT generate_series(1, 5)'), msg.bind(), msg.execute('', 2), msg.execute('', 2), msg.execute('', 2), msg.sync()],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'DataRow',
            'PortalSuspended',
            'DataRow',
            'DataRow',
            'PortalSuspended',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery',
          ],
        },
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/empty-query',
    category: 'protocol-framing',
    pool: 'single',
    why: 'An empty query string gets EmptyQueryResponse and ReadyForQuery; a pooler that waits for a CommandComplete hangs the client.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY',
    sessions: { a: {} },
    steps: [{ session: 'a', messages: [msg.query('')], expect: { messages: ['EmptyQueryResponse', 'ReadyForQuery'] } }],
  }),
];
