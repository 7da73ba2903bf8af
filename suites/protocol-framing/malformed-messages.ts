// How PostgreSQL treats broken frontend messages (src/backend/tcop/postgres.c): a message whose
// fields do not fit its length is ERROR 08P01 and the session goes on; an unknown message type
// is FATAL 08P01 and the connection closes, rolling back its open transaction; a length word
// past the limit for its type closes the connection without a word (the message boundaries
// are lost). suites/cases/unknown-message-type-is-fatal.yaml covers the unknown type alone.
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const FORMATS = 'https://www.postgresql.org/docs/current/protocol-message-formats.html';

export default [
  defineScenario({
    id: 'protocol-framing/message-too-short-for-its-fields-is-an-error',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A Query whose text lacks its terminating NUL, and a Close with an invalid kind byte, are protocol errors the session survives (ERROR 08P01, then ReadyForQuery); a pooler that forwards the broken bytes to a shared server and loses its framing, or closes the client, turns a driver bug into an outage.',
    docs: FORMATS,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'a Query message whose string has no terminating NUL',
        messages: [msg.raw('Q', 'SELECT 1')],
        until: 'ReadyForQuery',
        expect: { messages: ['ErrorResponse:08P01', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'a Close of kind X, then Sync',
        messages: [msg.raw('C', 'X{{st}}\u0000'), msg.sync()],
        expect: { messages: ['ErrorResponse:08P01', 'ReadyForQuery:I'] },
      },
      { session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } },
      { session: 'b', sql: 'SELECT 2', expect: { rows: [['2']] } },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/unknown-message-type-rolls-back-open-transaction',
    category: 'protocol-framing',
    pool: 'single',
    why: "An unknown message type inside a transaction ends the session with FATAL 08P01 and rolls the transaction back; the next client on the pool starts clean. A pooler that answers the client but keeps the server's transaction open, or commits it, leaks the half-done writes.",
    docs: FORMATS,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', sql: 'BEGIN' },
      { session: 'a', sql: 'INSERT INTO {{t}} VALUES (1)' },
      { session: 'a', label: 'a message of type y', messages: [msg.raw('y')], until: 'close', expect: { messages: ['ErrorResponse:08P01'] } },
      { session: 'b', sql: 'SELECT count(*) FROM {{t}}', expect: { rows: [['0']] } },
      { session: 'b', sql: 'SELECT pg_catalog.txid_current_if_assigned() IS NULL', expect: { rows: [['t']] } },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),

  defineScenario({
    id: 'protocol-framing/message-length-past-the-limit-closes-only-that-client',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A Query whose length word claims 2 GB (garbage on the wire) makes PostgreSQL close that connection at once, without a reply; other clients of the same pool go on. A pooler that waits for the 2 GB, or dies, hangs the client or every client.',
    docs: FORMATS,
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } },
      {
        session: 'a',
        label: 'a Query with the length word 0x7ffffff0 and a few bytes of text',
        messages: [msg.raw('Q', 'SELECT 1\u0000', 0x7ffffff0)],
        until: 'close',
        expect: { messages: [] },
      },
      { session: 'b', sql: 'SELECT 2', expect: { rows: [['2']] } },
    ],
  }),
];
