// A COPY FROM STDIN the server fails mid-stream (a bad row): PostgreSQL sends the ErrorResponse
// as soon as it parses the row, then, for a COPY sent as a simple Query, ReadyForQuery at once;
// for one sent with Execute, after the client's next Sync. CopyData, CopyDone and CopyFail that
// the client sends afterwards (it has not read the error yet) are dropped without a reply.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
// A pooler that counts the late CopyDone as a request still owed an answer keeps the server
// linked to the client, so the next client waits (pgbouncer#1471).
import type { StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const COPY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY';

/** An empty line is no integer: 22P02 as soon as the server reads it. */
const BAD_ROW = '\n';

const startCopy: StepSpec = {
  session: 'a',
  label: 'COPY {{t}} FROM STDIN as a simple Query, up to CopyInResponse',
  messages: [msg.query('COPY {{t}} (v) FROM STDIN')],
  until: 'CopyInResponse',
  expect: { messages: ['CopyInResponse'] },
};
const badRow = (status: 'I' | 'E'): StepSpec => ({
  session: 'a',
  label: 'CopyData with a bad row (not followed by CopyDone yet): the error and ReadyForQuery arrive at once',
  messages: [msg.copyData(BAD_ROW)],
  until: 'ReadyForQuery',
  expect: { messages: ['ErrorResponse:22P02', `ReadyForQuery:${status}`] },
});
const nothingMore: StepSpec = { session: 'a', label: 'nothing more is owed', read: { forMs: 300 }, expect: { messages: [] } };
const nextClient: StepSpec = { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } };

export default [
  defineScenario({
    id: 'protocol-framing/copy-bad-row-before-copy-done',
    category: 'protocol-framing',
    pool: 'single',
    why: "A bulk load whose bad row the server rejects before the client finished sending gets one ErrorResponse and one ReadyForQuery; the client's late CopyData and CopyDone must change nothing, the session and the server connection stay usable. A pooler that waits for an answer to the late CopyDone hangs this client or never hands the server to the next one.",
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      startCopy,
      badRow('I'),
      {
        session: 'a',
        label: 'the late CopyData and CopyDone, then SELECT 1 in the same write: only the SELECT is answered',
        messages: [msg.copyData('1\n'), msg.copyDone(), msg.query('SELECT 1')],
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['1']] },
      },
      nothingMore,
      nextClient,
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-bad-row-before-copy-done-in-transaction',
    category: 'protocol-framing',
    pool: 'single',
    why: "Inside BEGIN, a COPY's bad row fails the transaction (ReadyForQuery E); after the client's late CopyDone, ROLLBACK and a query, the server connection must be free for the next client, as pgbouncer's own test of this race expects.",
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', messages: [msg.query('BEGIN')], expect: { messages: ['CommandComplete', 'ReadyForQuery:T'] } },
      startCopy,
      badRow('E'),
      {
        session: 'a',
        label: 'the late CopyDone, then ROLLBACK',
        messages: [msg.copyDone(), msg.query('ROLLBACK')],
        expect: { messages: ['CommandComplete', 'ReadyForQuery:I'], commandTags: ['ROLLBACK'] },
      },
      { session: 'a', sql: 'SELECT 2', expect: { rows: [['2']] } },
      nothingMore,
      nextClient,
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-bad-row-with-copy-done',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A bad row sent together with CopyDone (the server fails the row before it reads the CopyDone) gets exactly one ErrorResponse and one ReadyForQuery; a pooler that expects a CommandComplete for the CopyDone waits forever, one that answers it twice leaves a stale ReadyForQuery for the next request.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'COPY, a bad row and CopyDone in one write',
        messages: [msg.query('COPY {{t}} (v) FROM STDIN'), msg.copyData(`1\n${BAD_ROW}`), msg.copyDone()],
        expect: { messages: ['CopyInResponse', 'ErrorResponse:22P02', 'ReadyForQuery:I'] },
      },
      nothingMore,
      { session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } },
      nextClient,
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-extended-bad-row-before-copy-done',
    category: 'protocol-framing',
    pool: 'single',
    why: 'An extended-protocol COPY (Parse/Bind/Execute/Sync, as libpq pipelines send it) whose bad row fails before CopyDone: the error comes at once, then the server discards until Sync, so the late CopyDone and its Sync get one ReadyForQuery; the Sync sent in copy-in mode earlier owes nothing.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse, Bind, Execute the COPY, Sync',
        messages: [msg.parse('', 'COPY {{t}} (v) FROM STDIN'), msg.bind(), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse'] },
      },
      {
        session: 'a',
        label: 'CopyData with a bad row: the error arrives, no ReadyForQuery before a Sync',
        messages: [msg.copyData(BAD_ROW)],
        until: 'ErrorResponse',
        expect: { messages: ['ErrorResponse:22P02'] },
      },
      { session: 'a', label: 'the late CopyDone and a Sync', messages: [msg.copyDone(), msg.sync()], expect: { messages: ['ReadyForQuery:I'] } },
      nothingMore,
      {
        session: 'a',
        label: 'again: Parse, Bind, Execute the COPY, Sync',
        messages: [msg.parse('', 'COPY {{t}} (v) FROM STDIN'), msg.bind(), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse'] },
      },
      {
        session: 'a',
        label: 'a bad row, CopyDone and Sync in one write',
        messages: [msg.copyData(BAD_ROW), msg.copyDone(), msg.sync()],
        expect: { messages: ['ErrorResponse:22P02', 'ReadyForQuery:I'] },
      },
      nothingMore,
      { session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } },
      nextClient,
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-extended-fail-then-sync',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A client aborting an extended-protocol COPY sends CopyFail and Sync: one ErrorResponse (57014) and one ReadyForQuery, whether the CopyFail follows the CopyInResponse or was sent with the Execute behind a Flush; a pooler that waits for the Sync sent in copy-in mode to be answered hangs the client.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse, Bind, Execute the COPY, Sync',
        messages: [msg.parse('', 'COPY {{t}} (v) FROM STDIN'), msg.bind(), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse'] },
      },
      {
        session: 'a',
        label: 'CopyData, CopyFail, Sync',
        messages: [msg.copyData('1\n'), msg.copyFail('client gave up'), msg.sync()],
        expect: { messages: ['ErrorResponse:57014', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'in one write: Parse, Bind, Execute the COPY, Flush, CopyData, CopyFail, Sync',
        messages: [
          msg.parse('', 'COPY {{t}} (v) FROM STDIN'),
          msg.bind(),
          msg.execute(),
          msg.flush(),
          msg.copyData('2\n'),
          msg.copyFail('client gave up'),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse', 'ErrorResponse:57014', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'in one write: Parse, Bind, Execute the COPY, CopyFail, Sync',
        messages: [msg.parse('', 'COPY {{t}} (v) FROM STDIN'), msg.bind(), msg.execute(), msg.copyFail('client gave up'), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse', 'ErrorResponse:57014', 'ReadyForQuery:I'] },
      },
      nothingMore,
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      nextClient,
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-freeze-refused-as-psql-sends-it',
    category: 'protocol-framing',
    pool: 'single',
    why: 'COPY ... FREEZE on a table not created in the current transaction is refused (55000) as soon as the copy begins, while psql is already sending the file and its end marker: the client gets CopyInResponse, the error and ReadyForQuery, the data it sent after is dropped, and the session goes on; a pooler that waits for an answer to that data hangs the session.',
    docs: 'https://www.postgresql.org/docs/current/sql-copy.html',
    sessions: { a: {} },
    steps: [
      { session: 'a', sql: 'CREATE TEMP TABLE {{t}} (a text)' },
      {
        session: 'a',
        label: 'COPY {{t}} FROM STDIN CSV FREEZE outside the transaction that created the table, with the data and CopyDone in the same write',
        messages: [msg.query('COPY {{t}} FROM STDIN CSV FREEZE'), msg.copyData('p\ng\n'), msg.copyDone()],
        expect: { messages: ['CopyInResponse', 'ErrorResponse:55000', 'ReadyForQuery:I'] },
      },
      { session: 'a', label: 'nothing more is owed', read: { forMs: 300 }, expect: { messages: [] } },
      {
        session: 'a',
        label: 'the session goes on: the same table, loaded without FREEZE',
        messages: [msg.query('COPY {{t}} FROM STDIN CSV'), msg.copyData('p\ng\n'), msg.copyDone()],
        expect: { messages: ['CopyInResponse', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 2'] },
      },
    ],
  }),
];
