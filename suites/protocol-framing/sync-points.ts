// Besides Sync, a simple Query and a FunctionCall each end with ReadyForQuery, and a Sync with
// nothing before it is answered with one too: each is a point where a pooler may see the
// client's transaction end. The fast-path FunctionCall is how pgjdbc's LargeObjectManager and
// libpq's lo_* functions reach the large-object functions.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-FUNCTION-CALL
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const FUNCTION_CALL = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-FUNCTION-CALL';
const LO_INTERFACES = 'https://www.postgresql.org/docs/current/lo-interfaces.html';

const run = (name: string): FrontendMessage[] => [msg.bind(name), msg.execute()];
const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];
/** An oid no function has. */
const NO_FUNCTION = 99999;
/** INV_READ | INV_WRITE (libpq-fs.h). */
const READ_WRITE = String(0x40000 | 0x20000);

export default [
  defineScenario({
    id: 'protocol-framing/query-function-call-and-bare-sync-as-sync-points',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A simple Query, a failing FunctionCall or a bare Sync written ahead of Parse/Bind/Execute/Sync in one write each get their own ReadyForQuery, and the statements parsed after them stay bindable; a pooler that pairs replies with requests by counting Syncs alone misreads the batch.',
    docs: FUNCTION_CALL,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Query SELECT 1, then Parse {{s2}}, run it, Sync',
        messages: [msg.query('SELECT 1'), msg.parse('{{s2}}', 'SELECT 2'), ...run('{{s2}}'), msg.sync()],
        expect: {
          messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I', 'ParseComplete', ...ran, 'ReadyForQuery:I'],
          rows: [['1'], ['2']],
        },
      },
      { session: 'a', messages: [...run('{{s2}}'), msg.sync()], expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [['2']] } },
      {
        session: 'a',
        label: `FunctionCall of oid ${NO_FUNCTION} (no such function), then Parse {{s3}}, run it, Sync`,
        messages: [msg.functionCall(NO_FUNCTION), msg.parse('{{s3}}', 'SELECT 3'), ...run('{{s3}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:42883', 'ReadyForQuery:I', 'ParseComplete', ...ran, 'ReadyForQuery:I'] },
      },
      { session: 'a', messages: [...run('{{s3}}'), msg.sync()], expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [['3']] } },
      {
        session: 'a',
        label: 'a bare Sync, then Parse {{s4}}, run it, Sync',
        messages: [msg.sync(), msg.parse('{{s4}}', 'SELECT 4'), ...run('{{s4}}'), msg.sync()],
        expect: { messages: ['ReadyForQuery:I', 'ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [['4']] },
      },
      { session: 'a', messages: [...run('{{s4}}'), msg.sync()], expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [['4']] } },
      {
        session: 'a',
        label: 'BEGIN, then a bare Sync: ReadyForQuery says the transaction is open',
        messages: [msg.query('BEGIN'), msg.sync(), msg.query('COMMIT')],
        expect: { messages: ['CommandComplete', 'ReadyForQuery:T', 'ReadyForQuery:T', 'CommandComplete', 'ReadyForQuery:I'] },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/function-call-large-object-write-and-read',
    category: 'protocol-framing',
    pool: 'single',
    why: "pgjdbc's LargeObjectManager creates, opens, writes, seeks, reads and closes a large object with fast-path calls inside one transaction, the descriptor valid only there; a pooler that does not relay FunctionCall, or moves the client to another server between the calls, loses the descriptor (42704) or hangs.",
    docs: LO_INTERFACES,
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', sql: 'BEGIN' },
      {
        session: 'a',
        label: 'lo_creat(-1)',
        messages: [msg.functionCall('lo_creat(integer)', ['-1'])],
        expect: { messages: ['FunctionCallResponse', 'ReadyForQuery:T'] },
        save: 'lo',
      },
      {
        session: 'a',
        label: 'lo_open(lo, INV_READ | INV_WRITE)',
        messages: [msg.functionCall('lo_open(oid,integer)', ['{{$lo}}', READ_WRITE])],
        expect: { messages: ['FunctionCallResponse', 'ReadyForQuery:T'] },
        save: 'fd',
      },
      {
        session: 'a',
        label: 'lowrite(fd, bytes) with the data in binary',
        messages: [msg.functionCall('lowrite(integer,bytea)', ['{{$fd}}', msg.hex('00ff706f6f6c')])],
        expect: { messages: ['FunctionCallResponse', 'ReadyForQuery:T'], rows: [['6']] },
      },
      {
        session: 'a',
        label: 'lo_lseek(fd, 0, SEEK_SET), then loread(fd, 100) with a binary result, in one write',
        messages: [
          msg.functionCall('lo_lseek(integer,integer,integer)', ['{{$fd}}', '0', '0']),
          msg.functionCall('loread(integer,integer)', ['{{$fd}}', '100'], 'binary'),
        ],
        expect: {
          messages: ['FunctionCallResponse', 'ReadyForQuery:T', 'FunctionCallResponse', 'ReadyForQuery:T'],
          rows: [[msg.hex('00ff706f6f6c')]],
        },
      },
      {
        session: 'a',
        label: 'lo_close(fd)',
        messages: [msg.functionCall('lo_close(integer)', ['{{$fd}}'])],
        expect: { messages: ['FunctionCallResponse', 'ReadyForQuery:T'], rows: [['0']] },
      },
      { session: 'a', sql: 'COMMIT' },
      { session: 'b', sql: "SELECT encode(lo_get({{$lo}}), 'hex')", expect: { rows: [['00ff706f6f6c']] } },
      {
        session: 'a',
        label: 'outside a transaction the descriptor is gone: lo_close(fd) fails',
        messages: [msg.functionCall('lo_close(integer)', ['{{$fd}}'])],
        expect: { messages: ['ErrorResponse:42704', 'ReadyForQuery:I'] },
      },
      { session: 'a', sql: 'SELECT lo_unlink({{$lo}})', expect: { rows: [['1']] } },
    ],
  }),
];
