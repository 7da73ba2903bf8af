// How bytes arrive: messages split across TCP writes, a Terminate in the same write as a
// Query, and a message larger than 16 MB. PostgreSQL reads a byte stream; message boundaries
// are the length words, not the writes.
// https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS
import { defineScenario, EVENTUALLY_MS, msg, step } from '../../harness/scenario/define.ts';

const CONCEPTS = 'https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS';

export default [
  defineScenario({
    id: 'protocol-framing/messages-split-across-writes',
    category: 'protocol-framing',
    pool: 'single',
    why: 'TCP may deliver a message in pieces (a type byte alone, half a length word); a pooler that assumes whole messages per read corrupts the stream.',
    docs: CONCEPTS,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('', 'SELECT $1::int + 1'), msg.bind('', ['41']), msg.execute(), msg.sync()],
        // After the type byte, inside the length word, inside the query text, at a message edge.
        splitWrites: [1, 3, 12, 31, 36],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['42']] },
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/terminate-in-same-write-as-query',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Fire-and-forget clients send a statement and Terminate together; the statement must still run and its reply still arrive.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION',
    setup: ['CREATE TABLE {{t}} (v text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.query("INSERT INTO {{t}} VALUES ('sent with Terminate')"), msg.terminate()],
        expect: { messages: ['CommandComplete', 'ReadyForQuery'] },
      },
      { session: 'observer', waitFor: { sql: 'SELECT count(*) FROM {{t}}', rows: [['1']] }, timeoutMs: EVENTUALLY_MS },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/terminate-in-same-write-statement-still-runs',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A statement sent together with Terminate must still be executed, or a fire-and-forget write is silently lost.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION',
    setup: ['CREATE TABLE {{t}} (v text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.query("INSERT INTO {{t}} VALUES ('sent with Terminate')"), msg.terminate()],
        label: 'INSERT and Terminate in one write (replies not checked)',
      },
      { session: 'observer', waitFor: { sql: 'SELECT count(*) FROM {{t}}', rows: [['1']] }, timeoutMs: EVENTUALLY_MS },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/message-larger-than-16mb',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Bulk inserts and big JSON documents send messages over 16 MB; a pooler with a packet size limit drops the client.',
    docs: CONCEPTS,
    sessions: { a: {} },
    steps: [
      step('a', "SELECT length('{{repeat:x:16777300}}')", {
        expect: { rows: [['16777300']] },
        timeoutMs: 20_000,
        label: 'SELECT length of a 16777300-character literal (a 16 MB Query message)',
      }),
    ],
  }),
];
