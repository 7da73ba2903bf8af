// COPY at the sizes and in the shapes applications use it: a thousand CSV rows loaded and read
// back, a load the server rejects on a bad row, and asyncpg's binary COPY of JSONB records,
// done again and again on one session.
// https://www.postgresql.org/docs/current/sql-copy.html
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
//
// Binary COPY (FORMAT binary): a header, then per row a 16-bit field count and each field as a
// 32-bit length and its bytes in the type's binary format, and a trailer of -1; jsonb's binary
// format is a version byte (1) and the JSON text.
import { defineScenario, msg, observe, step } from '../../harness/scenario/define.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';

const COPY = 'https://www.postgresql.org/docs/current/sql-copy.html';
const ROWS = 1000;
const CHUNK = 100;

/** The CSV lines a loader sends (odyssey's copy test): run_id_i,task_id_i,Some random ith text. */
const CSV_LINES = Array.from({ length: ROWS }, (_, i) => `run_id_${i + 1},task_id_${i + 1},Some random ${i + 1}th text\n`);
/** Sent as a loader does, many lines to a CopyData. */
const CSV_CHUNKS = Array.from({ length: ROWS / CHUNK }, (_, c) => CSV_LINES.slice(c * CHUNK, (c + 1) * CHUNK).join(''));

/** A row with one column more than the table has: 22P04 (bad_copy_file_format). */
const BAD_CSV = 'bad,data,with,too,many,columns,here\n';

/** asyncpg's test records: JSON values of several shapes, the JSON null among them. */
const JSONB_RECORDS: readonly string[] = [
  '{"active": true, "age": 30, "name": "Alice"}',
  '{"metadata": {"region": "US"}, "name": "Bob", "scores": [95, 87, 92]}',
  '{"products": [{"id": 1, "price": 29.99}, {"id": 2, "price": 15.50}]}',
  'null',
  '{"empty": {}, "list": [], "string": "test"}',
];
const be32 = (n: number) => n.toString(16).padStart(8, '0');
const utf8Hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
/** One row (id int8, data jsonb) in binary COPY format. */
const jsonbTuple = (id: number, json: string) =>
  `0002 ${be32(8)} ${id.toString(16).padStart(16, '0')} ${be32(1 + Buffer.byteLength(json))} 01${utf8Hex(json)}`;
const BINARY_HEADER = '5047434f50590aff0d0a00 00000000 00000000';
const BINARY_TRAILER = 'ffff';

/** One round of asyncpg's copy_records_to_table (a simple-Query COPY, the data in one CopyData), then the rows read back and removed. */
const jsonbRound = (round: number): StepSpec[] => [
  {
    session: 'a',
    label: `round ${round}: COPY {{t}} (id, data) FROM STDIN (FORMAT binary), the ${JSONB_RECORDS.length} records in one CopyData, CopyDone`,
    messages: [
      msg.query('COPY {{t}} (id, data) FROM STDIN (FORMAT binary)'),
      msg.copyData(msg.hex(`${BINARY_HEADER} ${JSONB_RECORDS.map((j, i) => jsonbTuple(i + 1, j)).join(' ')} ${BINARY_TRAILER}`)),
      msg.copyDone(),
    ],
    expect: { messages: ['CopyInResponse', 'CommandComplete', 'ReadyForQuery:I'], commandTags: [`COPY ${JSONB_RECORDS.length}`] },
  },
  step('a', 'SELECT count(*), count(*) FILTER (WHERE t.data = r.data) FROM {{t}} t JOIN {{ref}} r USING (id)', {
    label: 'every record reads back as the JSON value sent',
    expect: { rows: [[String(JSONB_RECORDS.length), String(JSONB_RECORDS.length)]] },
  }),
  {
    session: 'a',
    label: 'COPY {{t}} (id) TO STDOUT: one CopyData a record',
    messages: [msg.query('COPY (SELECT id FROM {{t}} ORDER BY id) TO STDOUT')],
    expect: {
      messages: ['CopyOutResponse', ...JSONB_RECORDS.map((): MessageLabel => 'CopyData'), 'CopyDone', 'CommandComplete', 'ReadyForQuery:I'],
      rows: JSONB_RECORDS.map((_, i) => [`${i + 1}\n`]),
    },
  },
  step('a', 'DELETE FROM {{t}}'),
];

export default [
  defineScenario({
    id: 'protocol-framing/copy-csv-thousand-rows-in-and-out',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A loader sends a thousand CSV rows in several CopyData messages and an export reads them back with COPY TO STDOUT (FORMAT csv); every row must arrive once and intact, in both directions.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (run_id text, task_id text, description text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'COPY {{t}} FROM STDIN (FORMAT csv), up to CopyInResponse',
        messages: [msg.query('COPY {{t}} FROM STDIN (FORMAT csv)')],
        until: 'CopyInResponse',
        expect: { messages: ['CopyInResponse'] },
      },
      {
        session: 'a',
        label: `${ROWS} rows in ${ROWS / CHUNK} CopyData of ${CHUNK} lines, CopyDone`,
        messages: [...CSV_CHUNKS.map((c) => msg.copyData(c)), msg.copyDone()],
        until: 'ReadyForQuery',
        expect: { messages: ['CommandComplete', 'ReadyForQuery:I'], commandTags: [`COPY ${ROWS}`] },
      },
      observe("SELECT count(*), count(DISTINCT run_id), min(description) FILTER (WHERE run_id = 'run_id_951') FROM {{t}}", {
        expect: { rows: [[String(ROWS), String(ROWS), 'Some random 951th text']] },
      }),
      {
        session: 'a',
        label: `COPY the rows TO STDOUT (FORMAT csv): ${ROWS} CopyData, one a row`,
        messages: [msg.query("COPY (SELECT * FROM {{t}} ORDER BY split_part(run_id, '_', 3)::int) TO STDOUT (FORMAT csv)")],
        expect: {
          messages: ['CopyOutResponse', ...CSV_LINES.map((): MessageLabel => 'CopyData'), 'CopyDone', 'CommandComplete', 'ReadyForQuery:I'],
          rows: CSV_LINES.map((l) => [l]),
        },
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/copy-bad-row-keeps-the-server-connection',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A CSV load the server rejects (a row with too many columns) fails with 22P04 and leaves the session as it was, on the same backend: a pooler that closes or replaces the server connection after a failed COPY drops the session state the client had there.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (run_id text, task_id text, description text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'pid' }),
      {
        session: 'a',
        label: 'COPY {{t}} FROM STDIN (FORMAT csv), a row with too many columns and CopyDone in one write (psql with a file)',
        messages: [msg.query('COPY {{t}} FROM STDIN (FORMAT csv)'), msg.copyData(BAD_CSV), msg.copyDone()],
        expect: { messages: ['CopyInResponse', 'ErrorResponse:22P04', 'ReadyForQuery:I'] },
      },
      step('a', 'SELECT pg_backend_pid()', { label: 'the same backend serves the session', expect: { equals: '$pid' } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'protocol-framing/binary-copy-in-with-jsonb-repeated',
    category: 'protocol-framing',
    pool: 'single',
    why: "asyncpg's copy_records_to_table sends JSONB records as binary COPY; done again and again on one connection, with COPY TO STDOUT and other queries between, every load must store each JSON value as sent and leave the session ready for the next.",
    docs: 'https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4',
    setup: [
      'CREATE TABLE {{t}} (id bigint, data jsonb)',
      'CREATE TABLE {{ref}} (id bigint, data jsonb)',
      `INSERT INTO {{ref}} VALUES ${JSONB_RECORDS.map((j, i) => `(${i + 1}, '${j}')`).join(', ')}`,
    ],
    teardown: ['DROP TABLE IF EXISTS {{t}}', 'DROP TABLE IF EXISTS {{ref}}'],
    sessions: { a: {} },
    steps: [1, 2, 3].flatMap(jsonbRound),
  }),
];
