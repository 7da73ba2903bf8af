// COPY over the extended protocol and inside pipelines: an Execute of COPY FROM STDIN stops at
// CopyInResponse until the client's CopyDone or CopyFail, and Flush and Sync sent in copy-in mode
// are ignored (libpq and pgx send them without knowing the command was a COPY); COPY TO STDOUT
// answers an Execute with CopyOutResponse, CopyData, CopyDone and CommandComplete, wherever it
// sits in a batch. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
// suites/cases/copy-data-before-copy-in-response.yaml covers the data sent ahead by a simple
// Query and the Syncs between the data; these go on from there.
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel } from '../../harness/scenario/model.ts';
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const COPY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY';

const run = (name = '', portal = ''): FrontendMessage[] => [msg.bind(name, [], portal), msg.execute(portal)];
const copyOut = (rows: number): MessageLabel[] => [
  'CopyOutResponse',
  ...Array.from({ length: rows }, (): MessageLabel => 'CopyData'),
  'CopyDone',
  'CommandComplete',
];

export default [
  defineScenario({
    id: 'protocol-framing/copy-extended-flush-and-sync-in-copy-in',
    category: 'protocol-framing',
    pool: 'single',
    why: 'An extended-protocol COPY whose data comes after a Flush, with Flush and Sync between the CopyData (a driver that flushes per message), owes one CommandComplete and one ReadyForQuery; a pooler that answers or waits for every Sync hangs or leaves a stale ReadyForQuery.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse, Bind, Execute the COPY, Flush',
        messages: [msg.parse('', 'COPY {{t}} FROM STDIN'), ...run(), msg.flush()],
        until: 'CopyInResponse',
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse'] },
      },
      {
        session: 'a',
        label: 'CopyData, Flush, Sync, CopyData, Flush, CopyDone, Sync',
        messages: [msg.copyData('1\n'), msg.flush(), msg.sync(), msg.copyData('2\n'), msg.flush(), msg.copyDone(), msg.sync()],
        // The step cannot tell from its own messages that the first Sync belongs to the COPY.
        until: 'ReadyForQuery',
        expect: { messages: ['CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 2'] },
      },
      { session: 'a', read: { forMs: 300 }, expect: { messages: [] } },
      {
        session: 'a',
        label: 'in one write: Parse, Bind, Execute the COPY, CopyDone, Sync (no data)',
        messages: [msg.parse('', 'COPY {{t}} FROM STDIN'), ...run(), msg.copyDone(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 0'] },
      },
      observe("SELECT string_agg(v::text, ',' ORDER BY v) FROM {{t}}", { expect: { rows: [['1,2']] } }),
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-simple-flush-in-copy-in-and-sync-after',
    category: 'protocol-framing',
    pool: 'single',
    why: "A COPY sent as a simple Query with a Flush among its data and a Sync after its CopyDone (pgpool-II's own hang report): the Flush belongs to the COPY, the COPY ends with its ReadyForQuery, and the Sync gets one more; a pooler that waits for the Flush or swallows the Sync's answer hangs the client.",
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'COPY FROM STDIN, CopyData (a last line without newline), Flush, CopyDone, Sync',
        messages: [msg.query('COPY {{t}} FROM STDIN'), msg.copyData('1'), msg.flush(), msg.copyDone(), msg.sync()],
        expect: { messages: ['CopyInResponse', 'CommandComplete', 'ReadyForQuery:I', 'ReadyForQuery:I'], commandTags: ['COPY 1'] },
      },
      { session: 'a', read: { forMs: 300 }, expect: { messages: [] } },
      { session: 'a', sql: 'SELECT count(*) FROM {{t}}', expect: { rows: [['1']] } },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-to-stdout-mid-batch',
    category: 'protocol-framing',
    pool: 'single',
    why: "A COPY TO STDOUT executed between two SELECTs of one batch (Elixir's and Go drivers' exports) gets its CopyOut stream in place, the other results around it; a pooler that treats CopyOutResponse as the end of the request, or reorders the stream, corrupts the batch.",
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)', 'INSERT INTO {{t}} VALUES (1), (2)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'run SELECT, COPY ... TO STDOUT and SELECT 2, one Sync',
        messages: [
          msg.parse('{{s1}}', 'SELECT v FROM {{t}} ORDER BY v'),
          ...run('{{s1}}'),
          msg.parse('', 'COPY (SELECT v FROM {{t}} ORDER BY v) TO STDOUT'),
          ...run(),
          msg.parse('{{s2}}', 'SELECT 2'),
          ...run('{{s2}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'DataRow',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            ...copyOut(2),
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          commandTags: ['SELECT 2', 'COPY 2', 'SELECT 1'],
        },
      },
      {
        session: 'a',
        label: 'the COPY alone: its CopyData holds the rows',
        messages: [msg.parse('', 'COPY (SELECT v FROM {{t}} ORDER BY v) TO STDOUT'), ...run(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', ...copyOut(2), 'ReadyForQuery:I'], rows: [['1\n'], ['2\n']] },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-named-statement',
    category: 'protocol-framing',
    pool: 'single',
    why: "COPY prepared as a named statement (libpq's PQprepare, pgbouncer's own test) and executed several times, in and out, with a bad row once: each run gets its own reply and the statement stays usable; a pooler that tracks named statements must not lose its place in the copy sub-protocol.",
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{in}} (COPY FROM STDIN) and {{out}} (COPY TO STDOUT), run {{in}}, Sync',
        messages: [
          msg.parse('{{in}}', 'COPY {{t}} FROM STDIN'),
          msg.parse('{{out}}', 'COPY (SELECT v FROM {{t}} ORDER BY v) TO STDOUT'),
          ...run('{{in}}'),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'ParseComplete', 'BindComplete', 'CopyInResponse'] },
      },
      {
        session: 'a',
        label: 'CopyData, CopyDone, Sync',
        messages: [msg.copyData('1\n'), msg.copyDone(), msg.sync()],
        expect: { messages: ['CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 1'] },
      },
      {
        session: 'a',
        label: 'run {{in}} again, Sync',
        messages: [...run('{{in}}'), msg.sync()],
        expect: { messages: ['BindComplete', 'CopyInResponse'] },
      },
      {
        session: 'a',
        label: 'a bad row: the error arrives before CopyDone',
        messages: [msg.copyData('\n')],
        until: 'ErrorResponse',
        expect: { messages: ['ErrorResponse:22P02'] },
      },
      { session: 'a', label: 'the late CopyDone and a Sync', messages: [msg.copyDone(), msg.sync()], expect: { messages: ['ReadyForQuery:I'] } },
      {
        session: 'a',
        label: 'run {{in}} again with a bad row and CopyDone, Sync',
        messages: [...run('{{in}}'), msg.copyData('\n'), msg.copyDone(), msg.sync()],
        expect: { messages: ['BindComplete', 'CopyInResponse', 'ErrorResponse:22P02', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'run {{in}} once more, data sent with the Execute, then run {{out}}, one Sync',
        messages: [...run('{{in}}'), msg.copyData('2\n'), msg.copyDone(), ...run('{{out}}'), msg.sync()],
        expect: {
          messages: ['BindComplete', 'CopyInResponse', 'CommandComplete', 'BindComplete', ...copyOut(2), 'ReadyForQuery:I'],
          rows: [['1\n'], ['2\n']],
        },
      },
      {
        session: 'b',
        label: 'another client uses the server connection',
        messages: [msg.query('SELECT 1')],
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'run {{out}} in a later transaction',
        messages: [...run('{{out}}'), msg.sync()],
        expect: { messages: ['BindComplete', ...copyOut(2), 'ReadyForQuery:I'], rows: [['1\n'], ['2\n']] },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-out-and-in-in-one-batch',
    category: 'protocol-framing',
    pool: 'single',
    why: "A COPY TO STDOUT and a COPY FROM STDIN with its data sent ahead, in one batch before one Sync (YSQL Connection Manager's test of Go drivers' batches): the replies come in order and the row is stored; a pooler that pauses the client for the CopyOut stream never sees the data it must pass on.",
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (v int)', 'INSERT INTO {{t}} VALUES (1)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'one write: SELECT, COPY TO STDOUT, COPY FROM STDIN with CopyData and CopyDone, Sync',
        messages: [
          msg.parse('', 'SELECT count(*) FROM {{t}}'),
          ...run(),
          msg.parse('', 'COPY {{t}} TO STDOUT'),
          ...run(),
          msg.parse('', 'COPY {{t}} FROM STDIN'),
          ...run(),
          msg.copyData('2\n'),
          msg.copyDone(),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            ...copyOut(1),
            'ParseComplete',
            'BindComplete',
            'CopyInResponse',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          commandTags: ['SELECT 1', 'COPY 1', 'COPY 1'],
        },
      },
      observe("SELECT string_agg(v::text, ',' ORDER BY v) FROM {{t}}", { expect: { rows: [['1,2']] } }),
    ],
  }),

  defineScenario({
    id: 'protocol-framing/copy-in-batch-rolled-back-by-later-error',
    category: 'protocol-framing',
    pool: 'single',
    why: "An INSERT and a COPY with its data sent ahead commit at their Sync (pgx batches, YSQL Connection Manager's test); the same followed in one segment by a failing INSERT is one implicit transaction, so none of it is stored, and the next segment of the same write runs; a pooler that commits the COPY on its own or loses the second segment breaks the batch's atomicity.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'one write: INSERT, COPY with CopyData and CopyDone, Sync; the same, an INSERT of too many values, SELECT 2, Sync; SELECT 2, Sync',
        messages: [
          msg.parse('{{ins}}', 'INSERT INTO {{t}} VALUES (1)'),
          ...run('{{ins}}'),
          msg.parse('', 'COPY {{t}} FROM STDIN'),
          ...run(),
          msg.copyData('2\n'),
          msg.copyDone(),
          msg.sync(),
          ...run('{{ins}}'),
          msg.parse('', 'COPY {{t}} FROM STDIN'),
          ...run(),
          msg.copyData('3\n'),
          msg.copyDone(),
          msg.parse('{{wrong}}', 'INSERT INTO {{t}} VALUES (3, 4)'),
          ...run('{{wrong}}'),
          msg.parse('{{two}}', 'SELECT 2'),
          ...run('{{two}}'),
          msg.sync(),
          msg.parse('{{two}}', 'SELECT 2'),
          ...run('{{two}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            'CopyInResponse',
            'CommandComplete',
            'ReadyForQuery:I',
            'BindComplete',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            'CopyInResponse',
            'CommandComplete',
            'ErrorResponse:42601',
            'ReadyForQuery:I',
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
        },
      },
      observe("SELECT string_agg(v::text, ',' ORDER BY v) FROM {{t}}", { expect: { rows: [['1,2']] } }),
    ],
  }),
];
