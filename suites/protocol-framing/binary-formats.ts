// Format codes are the client's: each Bind says which parameters it sends in binary and which
// result columns it wants in binary, and binary COPY carries PostgreSQL's own binary tuple
// format. suites/cases/binary-format-codes.yaml covers one statement's codes; these go on with
// codes that change per Bind, several types, NULL, and binary COPY both ways.
// https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { Format, Value } from '../../harness/wire/bytes.ts';
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const FORMAT_CODES = 'https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES';
const COPY_BINARY = 'https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4';

const hex = msg.hex;
/** int2 7, int4 7, int8 7 in network byte order. */
const INT2 = hex('0007');
const INT4 = hex('00000007');
const INT8 = hex('0000000000000007');
const insert = (params: Value[], formats: Format[]): FrontendMessage[] => [msg.bind('{{ins}}', params, '', { params: formats }), msg.execute()];

/** PGCOPY signature, flags, header extension length; one tuple of two fields: int4 1, text 'pool'; the trailer. */
const COPY_HEADER = '5047434f50590aff0d0a00 00000000 00000000';
const COPY_TUPLE = '0002 00000004 00000001 00000004 706f6f6c';
const COPY_TRAILER = 'ffff';

export default [
  defineScenario({
    id: 'protocol-framing/binary-parameters-mixed-per-parameter',
    category: 'protocol-framing',
    pool: 'single',
    why: "Drivers choose a format per parameter and per Bind (asyncpg, pgx, Npgsql send integers in binary, text where they have no codec): a smallint, integer and bigint inserted three times with the binary one moving, then read back with mixed result formats, must be the same numbers; a pooler that re-encodes a Bind or keeps the first Bind's codes for the statement corrupts them.",
    docs: FORMAT_CODES,
    setup: ['CREATE TABLE {{t}} (k int, a int2, b int4, c int8)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{ins}}, three Binds with the binary parameter moving, one Sync',
        messages: [
          msg.parse('{{ins}}', 'INSERT INTO {{t}} VALUES ($1, $2, $3, $4)'),
          ...insert(['1', INT2, INT4, '7'], ['text', 'binary', 'binary', 'text']),
          ...insert([hex('00000002'), '7', INT4, INT8], ['binary', 'text', 'binary', 'binary']),
          ...insert(['3', INT2, '7', INT8], ['text', 'binary', 'text', 'binary']),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'BindComplete',
            'CommandComplete',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
        },
      },
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
      {
        session: 'a',
        label: 'read them back: a and c in binary, b in text; then all in text',
        messages: [
          msg.parse('{{sel}}', 'SELECT a, b, c FROM {{t}} ORDER BY k'),
          msg.bind('{{sel}}', [], '', { results: ['binary', 'text', 'binary'] }),
          msg.execute(),
          msg.sync(),
        ],
        expect: {
          messages: ['ParseComplete', 'BindComplete', 'DataRow', 'DataRow', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'],
          rows: [
            [INT2, '7', INT8],
            [INT2, '7', INT8],
            [INT2, '7', INT8],
          ],
        },
      },
      observe("SELECT string_agg(concat_ws(':', k, a, b, c), ',' ORDER BY k) FROM {{t}}", { expect: { rows: [['1:7:7:7,2:7:7:7,3:7:7:7']] } }),
    ],
  }),

  defineScenario({
    id: 'protocol-framing/binary-null-bool-and-bytea',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A NULL parameter marked binary (length -1), a boolean result in binary (one byte) and a bytea parameter and result in binary (its raw bytes) must pass unchanged; a pooler that rewrites values gives NULL as empty, booleans as text or bytea hex-escaped.',
    docs: FORMAT_CODES,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label:
          'Parse {{st}} and an unnamed statement; Bind {{st}} with a NULL in binary and binary results; Bind the unnamed one in text; Execute both, Sync',
        messages: [
          msg.parse('{{st}}', 'SELECT $1::int4 IS NULL AS isnull, $2::bytea AS raw, true AS yes'),
          msg.parse('', 'SELECT $1::text AS t'),
          msg.bind('{{st}}', [null, hex('00010203feff')], '{{p}}', { params: ['binary', 'binary'], results: ['binary'] }),
          msg.bind('', ['text'], ''),
          msg.execute('{{p}}'),
          msg.execute(),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'ParseComplete',
            'BindComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [[hex('01'), hex('00010203feff'), hex('01')], ['text']],
        },
      },
      {
        session: 'a',
        label: 'Bind {{st}} again, every value and result in text',
        messages: [msg.bind('{{st}}', ['5', '\\x00ff'], '', { params: ['text'], results: ['text'] }), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['f', '\\x00ff', 't']] },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/binary-copy-out-and-in',
    category: 'protocol-framing',
    pool: 'single',
    why: "COPY ... (FORMAT binary) out and back in (asyncpg's copy_records_to_table, pg_dump-like tools) moves PostgreSQL's binary tuples byte for byte; a pooler that treats CopyData as text or splits it on newlines corrupts the load.",
    docs: COPY_BINARY,
    setup: ['CREATE TABLE {{t}} (v int4, s text)', "INSERT INTO {{t}} VALUES (1, 'pool')", 'CREATE TABLE {{t2}} (v int4, s text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}', 'DROP TABLE IF EXISTS {{t2}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'COPY {{t}} TO STDOUT (FORMAT binary)',
        messages: [msg.query('COPY {{t}} TO STDOUT (FORMAT binary)')],
        expect: {
          messages: ['CopyOutResponse', 'CopyData', 'CopyData', 'CopyDone', 'CommandComplete', 'ReadyForQuery:I'],
          rows: [[hex(`${COPY_HEADER} ${COPY_TUPLE}`)], [hex(COPY_TRAILER)]],
        },
      },
      {
        session: 'a',
        label: 'the same bytes into {{t2}} over the extended protocol, the data sent with the Execute',
        messages: [
          msg.parse('', 'COPY {{t2}} FROM STDIN (FORMAT binary)'),
          msg.bind(),
          msg.execute(),
          msg.copyData(hex(COPY_HEADER)),
          msg.copyData(hex(COPY_TUPLE)),
          msg.copyData(hex(COPY_TRAILER)),
          msg.copyDone(),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 1'] },
      },
      observe('SELECT v, s FROM {{t2}}', { expect: { rows: [['1', 'pool']] } }),
      {
        session: 'a',
        label: 'a binary COPY with a broken tuple (a field length past the data) fails',
        messages: [
          msg.query('COPY {{t2}} FROM STDIN (FORMAT binary)'),
          msg.copyData(hex(`${COPY_HEADER} 0002 00000004 00000001 000000ff 70`)),
          msg.copyDone(),
        ],
        expect: { messages: ['CopyInResponse', 'ErrorResponse:22P04', 'ReadyForQuery:I'] },
      },
    ],
  }),
];
