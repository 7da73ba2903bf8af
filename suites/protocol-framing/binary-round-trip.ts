// Values of each type as PostgreSQL sends them: in binary (its send functions' bytes: integers in
// network order, numeric as base-10000 digits, timestamps as microseconds since 2000, arrays with
// dimensions and element oids) when a Bind asks for binary results, in its output functions' text
// otherwise, and a binary parameter read by the type's receive function. A pooler in between
// relays DataRow and Bind values untouched: one that decodes them (to merge rows, to route, to
// rewrite a query) and encodes them again changes what the driver reads. The values are those of
// pgdog's integration/sql/cases (900-929) and its float and numeric binary tests; the expected
// bytes are PostgreSQL's own (typsend) and the same from 15 to 18.
// https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { Cell, MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const FORMAT_CODES = 'https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES';

/** A value: the SQL that makes it, PostgreSQL's text output of it, its binary form in hex (null, null: SQL NULL). */
type Sample = readonly [sql: string, text: string | null, binary: string | null];
interface TypeSamples {
  readonly type: string;
  readonly values: readonly Sample[];
}

/** The values of one type, in order, as rows of one column. */
const select = (t: TypeSamples): string =>
  `SELECT v FROM (VALUES ${t.values.map(([sql], i) => `(${i + 1}, (${sql})::${t.type})`).join(', ')}) AS t(k, v) ORDER BY k`;

const selected = (t: TypeSamples): MessageLabel[] => [
  'ParseComplete',
  'BindComplete',
  ...t.values.map((): MessageLabel => 'DataRow'),
  'CommandComplete',
];

/** Every type's rows in one Sync, results in the format asked. */
const readBack = (types: readonly TypeSamples[], format: 'text' | 'binary'): StepSpec => ({
  session: 'a',
  label: `each type's values read with ${format} results, one Parse/Bind/Execute per type, one Sync`,
  messages: [
    ...types.flatMap((t): FrontendMessage[] => [msg.parse('', select(t)), msg.bind('', [], '', { results: [format] }), msg.execute()]),
    msg.sync(),
  ],
  expect: {
    messages: [...types.flatMap(selected), 'ReadyForQuery:I'],
    rows: types.flatMap((t) => t.values.map(([, text, bin]): Cell[] => [format === 'text' ? text : bin === null ? null : msg.hex(bin)])),
    commandTags: types.map((t) => `SELECT ${t.values.length}`),
  },
});

/** Each value sent back as a binary parameter of SELECT $1::type, read in binary: the same bytes. */
const sentBack = (types: readonly TypeSamples[]): StepSpec => {
  const sent = types.map((t) => ({ t, bins: t.values.flatMap(([, , bin]) => (bin === null ? [] : [bin])) }));
  return {
    session: 'a',
    label: 'each value sent as a binary parameter of SELECT $1::type and read back in binary, one Sync',
    messages: [
      ...sent.flatMap(({ t, bins }): FrontendMessage[] => [
        msg.parse('', `SELECT $1::${t.type}`),
        ...bins.flatMap((bin) => [msg.bind('', [msg.hex(bin)], '', { params: ['binary'], results: ['binary'] }), msg.execute()]),
      ]),
      msg.sync(),
    ],
    expect: {
      messages: [
        ...sent.flatMap(({ bins }): MessageLabel[] => [
          'ParseComplete',
          ...bins.flatMap((): MessageLabel[] => ['BindComplete', 'DataRow', 'CommandComplete']),
        ]),
        'ReadyForQuery:I',
      ],
      rows: sent.flatMap(({ bins }) => bins.map((bin): Cell[] => [msg.hex(bin)])),
    },
  };
};

const GROUPS: readonly { id: string; why: string; types: readonly TypeSamples[] }[] = [
  {
    id: 'protocol-framing/binary-round-trip-numbers',
    why: "Booleans, integers at their limits, numeric with scale, NaN, and float4/float8 with infinities, NaN and a denormal come back byte for byte in binary (asyncpg, pgx, Npgsql, Postgrex, psycopg's binary cursors) and as PostgreSQL prints them in text, and a value sent as a binary parameter is the value read back; a pooler that decodes or re-encodes DataRow or Bind values corrupts them.",
    types: [
      {
        type: 'boolean',
        values: [
          ['TRUE', 't', '01'],
          ['FALSE', 'f', '00'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'smallint',
        values: [
          ['-32768', '-32768', '8000'],
          ['0', '0', '0000'],
          ['32767', '32767', '7fff'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'integer',
        values: [
          ['-2147483648', '-2147483648', '80000000'],
          ['0', '0', '00000000'],
          ['2147483647', '2147483647', '7fffffff'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'bigint',
        values: [
          ['-9223372036854775808', '-9223372036854775808', '8000000000000000'],
          ['0', '0', '0000000000000000'],
          ['9223372036854775807', '9223372036854775807', '7fffffffffffffff'],
          ['4611686018427387904', '4611686018427387904', '4000000000000000'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'numeric(30,10)',
        values: [
          ['123456789.987654321', '123456789.9876543210', '000600020000000a000109291a852694153803e8'],
          ['-987654321.123456789', '-987654321.1234567890', '000600024000000a0009223d10e104d2162e2328'],
          ['0.0000001234', '0.0000001234', '0002fffe0000000a000c0d48'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'numeric',
        values: [
          ['0.1 + 0.2', '0.3', '0001ffff000000010bb8'],
          ['19.99 * 3.5', '69.965', '0002000000000003004525b2'],
          ["'NaN'", 'NaN', '00000000c0000000'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'real',
        values: [
          ["'-0'", '-0', '80000000'],
          ['1.23e-10', '1.23e-10', '2f073d6c'],
          ['-9.87e15', '-9.87e+15', 'da0c42da'],
          ['1.5', '1.5', '3fc00000'],
          ['-2.25', '-2.25', 'c0100000'],
          ["'Infinity'", 'Infinity', '7f800000'],
          ["'-Infinity'", '-Infinity', 'ff800000'],
          ["'NaN'", 'NaN', '7fc00000'],
          ['3.14159', '3.14159', '40490fd0'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'double precision',
        values: [
          ["'-0'", '-0', '8000000000000000'],
          ['1.23e-10', '1.23e-10', '3de0e7ad82221eec'],
          ['1.5', '1.5', '3ff8000000000000'],
          ['-1234567890.9876543', '-1234567890.9876542', 'c1d26580b4bf35ba'],
          ["'Infinity'", 'Infinity', '7ff0000000000000'],
          ["'-Infinity'", '-Infinity', 'fff0000000000000'],
          ["'NaN'", 'NaN', '7ff8000000000000'],
          ['2.2250738585072014e-308', '2.2250738585072014e-308', '0010000000000000'],
          ['0.1::float8 + 0.2::float8', '0.30000000000000004', '3fd3333333333334'],
          ['NULL', null, null],
        ],
      },
    ],
  },
  {
    id: 'protocol-framing/binary-round-trip-text-and-bytes',
    why: 'text, varchar, blank-padded char, bytea (empty and with a backslash) and uuid come back byte for byte in binary and as PostgreSQL prints them in text, and binary parameters of each are read back unchanged; a pooler that re-encodes values trims, escapes or reorders their bytes.',
    types: [
      {
        type: 'text',
        values: [
          ["'alpha'", 'alpha', '616c706861'],
          ["'beta with spaces'", 'beta with spaces', '62657461207769746820737061636573'],
          ["'line\\nbreak'", 'line\\nbreak', '6c696e655c6e627265616b'],
          ["''", '', ''],
          ['NULL', null, null],
        ],
      },
      {
        type: 'varchar(20)',
        values: [
          ["'alpha'", 'alpha', '616c706861'],
          ["'beta-with-hyphen'", 'beta-with-hyphen', '626574612d776974682d68797068656e'],
          ["'trimmed'", 'trimmed', '7472696d6d6564'],
          ["''", '', ''],
          ['NULL', null, null],
        ],
      },
      {
        type: 'char(5)',
        values: [
          ["'a'", 'a    ', '6120202020'],
          ["'beta '", 'beta ', '6265746120'],
          ["'xyz'", 'xyz  ', '78797a2020'],
          ["''", '     ', '2020202020'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'bytea',
        values: [
          ["decode('00ff10', 'hex')", '\\x00ff10', '00ff10'],
          ["decode('deadbeefcafebabe', 'hex')", '\\xdeadbeefcafebabe', 'deadbeefcafebabe'],
          ["decode('', 'hex')", '\\x', ''],
          ["decode('5c78', 'hex')", '\\x5c78', '5c78'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'uuid',
        values: [
          ["'00000000-0000-0000-0000-000000000000'", '00000000-0000-0000-0000-000000000000', '00000000000000000000000000000000'],
          ["'123e4567-e89b-12d3-a456-426614174000'", '123e4567-e89b-12d3-a456-426614174000', '123e4567e89b12d3a456426614174000'],
          ["'ffffffff-ffff-ffff-ffff-ffffffffffff'", 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ffffffffffffffffffffffffffffffff'],
          ['NULL', null, null],
        ],
      },
    ],
  },
  {
    id: 'protocol-framing/binary-round-trip-dates-and-times',
    why: "date (year 1 and a leap day), time, timetz with offsets, timestamp, timestamptz and interval come back in binary as PostgreSQL's microsecond and day counts and in text as PostgreSQL prints them (the session's TimeZone, UTC here), and binary parameters are read back unchanged; a pooler that converts them shifts or truncates instants.",
    types: [
      {
        type: 'date',
        values: [
          ["'0001-01-01'", '0001-01-01', 'fff4dbf9'],
          ["'1970-01-01'", '1970-01-01', 'ffffd533'],
          ["'2020-02-29'", '2020-02-29', '00001cc4'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'time',
        values: [
          ["'00:00:00'", '00:00:00', '0000000000000000'],
          ["'12:34:56.789'", '12:34:56.789', '0000000a8be62608'],
          ["'23:59:59.999999'", '23:59:59.999999', '000000141dd75fff'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'timetz',
        values: [
          ["'00:00:00+00'", '00:00:00+00', '000000000000000000000000'],
          ["'08:15:30-07'", '08:15:30-07', '00000006ec0bcc8000006270'],
          ["'23:59:59.999999+13'", '23:59:59.999999+13', '000000141dd75fffffff4930'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'timestamp',
        values: [
          ["'1970-01-01 00:00:00'", '1970-01-01 00:00:00', 'fffca2fec4c82000'],
          ["'1999-12-31 23:59:59.123456'", '1999-12-31 23:59:59.123456', 'fffffffffff2a000'],
          ["'2020-02-29 12:00:00'", '2020-02-29 12:00:00', '000242b476513000'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'timestamptz',
        values: [
          ["'1970-01-01 00:00:00+00'", '1970-01-01 00:00:00+00', 'fffca2fec4c82000'],
          ["'1999-12-31 23:59:59.123456+05:30'", '1999-12-31 18:29:59.123456+00', 'fffffffb63c69a00'],
          ["'2020-02-29 12:00:00-07'", '2020-02-29 19:00:00+00', '000242ba545aac00'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'interval',
        values: [
          ["'1 year 2 months 3 days 04:05:06'", '1 year 2 mons 3 days 04:05:06', '000000036c8bc080000000030000000e'],
          ["'-3 days'", '-3 days', '0000000000000000fffffffd00000000'],
          ["'15 minutes 30 seconds'", '00:15:30', '00000000376eac800000000000000000'],
          ["'0'", '00:00:00', '00000000000000000000000000000000'],
          ['NULL', null, null],
        ],
      },
    ],
  },
  {
    id: 'protocol-framing/binary-round-trip-json-and-network',
    why: "json (kept as written), jsonb (its version byte and normalised text), inet, cidr, macaddr and macaddr8 come back byte for byte in binary and in PostgreSQL's text, and binary parameters of each are read back unchanged; a pooler that rewrites values breaks drivers that decode them.",
    types: [
      {
        type: 'json',
        values: [
          ['\'{"simple":"value"}\'', '{"simple":"value"}', '7b2273696d706c65223a2276616c7565227d'],
          [
            '\'{"nested":{"a":1,"b":[true,false]},"c":null}\'',
            '{"nested":{"a":1,"b":[true,false]},"c":null}',
            '7b226e6573746564223a7b2261223a312c2262223a5b747275652c66616c73655d7d2c2263223a6e756c6c7d',
          ],
          ["'[1,2,3,4]'", '[1,2,3,4]', '5b312c322c332c345d'],
          ['\'"scalar"\'', '"scalar"', '227363616c617222'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'jsonb',
        values: [
          ['\'{"simple":"value"}\'', '{"simple": "value"}', '017b2273696d706c65223a202276616c7565227d'],
          [
            '\'{"nested":{"a":1,"b":[true,false]},"c":null}\'',
            '{"c": null, "nested": {"a": 1, "b": [true, false]}}',
            '017b2263223a206e756c6c2c20226e6573746564223a207b2261223a20312c202262223a205b747275652c2066616c73655d7d7d',
          ],
          ["'[1,2,3,4]'", '[1, 2, 3, 4]', '015b312c20322c20332c20345d'],
          ['\'"scalar"\'', '"scalar"', '01227363616c617222'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'inet',
        values: [
          ["'127.0.0.1'", '127.0.0.1', '022000047f000001'],
          ["'2001:db8::1'", '2001:db8::1', '0380001020010db8000000000000000000000001'],
          ["'192.168.1.5/24'", '192.168.1.5/24', '02180004c0a80105'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'cidr',
        values: [
          ["'10.0.0.0/8'", '10.0.0.0/8', '020801040a000000'],
          ["'2001:db8::/48'", '2001:db8::/48', '0330011020010db8000000000000000000000000'],
          ["'192.168.1.0/24'", '192.168.1.0/24', '02180104c0a80100'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'macaddr',
        values: [
          ["'08:00:2b:01:02:03'", '08:00:2b:01:02:03', '08002b010203'],
          ["'AA-BB-CC-DD-EE-FF'", 'aa:bb:cc:dd:ee:ff', 'aabbccddeeff'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'macaddr8',
        values: [
          ["'08:00:2b:ff:fe:01:02:03'", '08:00:2b:ff:fe:01:02:03', '08002bfffe010203'],
          ["'aa:bb:cc:dd:ee:ff:00:11'", 'aa:bb:cc:dd:ee:ff:00:11', 'aabbccddeeff0011'],
          ['NULL', null, null],
        ],
      },
    ],
  },
  {
    id: 'protocol-framing/binary-round-trip-arrays',
    why: "Arrays of int, text (commas, quotes, backslashes, empty and 'NULL' strings, whitespace in the literal), bigint, boolean, float4/float8 (NaN, infinities), with NULL elements, empty and two-dimensional, come back in binary (dimensions, element oids, lengths) and in PostgreSQL's normalised text, and binary array parameters are read back unchanged.",
    types: [
      {
        type: 'integer[]',
        values: [
          ["'{1,2,3}'", '{1,2,3}', '0000000100000000000000170000000300000001000000040000000100000004000000020000000400000003'],
          ["'{-1,0,2147483647}'", '{-1,0,2147483647}', '000000010000000000000017000000030000000100000004ffffffff0000000400000000000000047fffffff'],
          ["'{}'", '{}', '000000000000000000000017'],
          ["'{NULL,1,NULL}'", '{NULL,1,NULL}', '0000000100000001000000170000000300000001ffffffff0000000400000001ffffffff'],
          ["'{ 1 , 2 , 3 }'", '{1,2,3}', '0000000100000000000000170000000300000001000000040000000100000004000000020000000400000003'],
          ["' {4,5,6} '", '{4,5,6}', '0000000100000000000000170000000300000001000000040000000400000004000000050000000400000006'],
          ['ARRAY[1,2,3]', '{1,2,3}', '0000000100000000000000170000000300000001000000040000000100000004000000020000000400000003'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'text[]',
        values: [
          ['\'{"hello","world"}\'', '{hello,world}', '00000001000000000000001900000002000000010000000568656c6c6f00000005776f726c64'],
          [
            '\'{"has,comma","has\\"quote"}\'',
            '{"has,comma","has\\"quote"}',
            '0000000100000000000000190000000200000001000000096861732c636f6d6d61000000096861732271756f7465',
          ],
          [
            '\'{"has\\\\backslash","has space"}\'',
            '{"has\\\\backslash","has space"}',
            '00000001000000000000001900000002000000010000000d6861735c6261636b736c61736800000009686173207370616365',
          ],
          ['\'{"","NULL"}\'', '{"","NULL"}', '000000010000000000000019000000020000000100000000000000044e554c4c'],
          [
            '\'{NULL,"actual value",NULL}\'',
            '{NULL,"actual value",NULL}',
            '0000000100000001000000190000000300000001ffffffff0000000c61637475616c2076616c7565ffffffff',
          ],
          ["'{}'", '{}', '000000000000000000000019'],
          ["'{ hello , world }'", '{hello,world}', '00000001000000000000001900000002000000010000000568656c6c6f00000005776f726c64'],
          [
            '\'{ "has space" , plain }\'',
            '{"has space",plain}',
            '00000001000000000000001900000002000000010000000968617320737061636500000005706c61696e',
          ],
          ["E'{a\\\\,b}'", '{"a,b"}', '000000010000000000000019000000010000000100000003612c62'],
          ["E'{a\\\\\\\\b}'", '{"a\\\\b"}', '000000010000000000000019000000010000000100000003615c62'],
          ["E'{a\\\\}b}'", '{"a}b"}', '000000010000000000000019000000010000000100000003617d62'],
          [
            'E\'{"quoted\\\\\\\\bslash",unquoted}\'',
            '{"quoted\\\\bslash",unquoted}',
            '00000001000000000000001900000002000000010000000d71756f7465645c62736c61736800000008756e71756f746564',
          ],
          [
            "ARRAY['has,comma','has\"quote','has\\back']",
            '{"has,comma","has\\"quote","has\\\\back"}',
            '0000000100000000000000190000000300000001000000096861732c636f6d6d61000000096861732271756f7465000000086861735c6261636b',
          ],
          ['NULL', null, null],
        ],
      },
      {
        type: 'bigint[]',
        values: [
          [
            "'{1,2,3}'",
            '{1,2,3}',
            '0000000100000000000000140000000300000001000000080000000000000001000000080000000000000002000000080000000000000003',
          ],
          [
            "'{-9223372036854775808,0,9223372036854775807}'",
            '{-9223372036854775808,0,9223372036854775807}',
            '0000000100000000000000140000000300000001000000088000000000000000000000080000000000000000000000087fffffffffffffff',
          ],
          ["'{}'", '{}', '000000000000000000000014'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'boolean[]',
        values: [
          ["'{t,f,t}'", '{t,f,t}', '0000000100000000000000100000000300000001000000010100000001000000000101'],
          ["'{NULL,t,NULL}'", '{NULL,t,NULL}', '0000000100000001000000100000000300000001ffffffff0000000101ffffffff'],
          ['ARRAY[true,false,NULL::boolean]', '{t,f,NULL}', '000000010000000100000010000000030000000100000001010000000100ffffffff'],
          ["'{}'", '{}', '000000000000000000000010'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'real[]',
        values: [
          ["'{1.5,2.5,3.5}'", '{1.5,2.5,3.5}', '0000000100000000000002bc0000000300000001000000043fc0000000000004402000000000000440600000'],
          [
            "'{NaN,Infinity,-Infinity}'",
            '{NaN,Infinity,-Infinity}',
            '0000000100000000000002bc0000000300000001000000047fc00000000000047f80000000000004ff800000',
          ],
          ["'{NULL,0}'", '{NULL,0}', '0000000100000001000002bc0000000200000001ffffffff0000000400000000'],
          ["'{}'", '{}', '0000000000000000000002bc'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'double precision[]',
        values: [
          [
            "'{1.5,2.5,3.5}'",
            '{1.5,2.5,3.5}',
            '0000000100000000000002bd0000000300000001000000083ff800000000000000000008400400000000000000000008400c000000000000',
          ],
          [
            "'{NaN,Infinity,-Infinity}'",
            '{NaN,Infinity,-Infinity}',
            '0000000100000000000002bd0000000300000001000000087ff8000000000000000000087ff000000000000000000008fff0000000000000',
          ],
          ["'{NULL,0}'", '{NULL,0}', '0000000100000001000002bd0000000200000001ffffffff000000080000000000000000'],
          ["'{}'", '{}', '0000000000000000000002bd'],
          ['NULL', null, null],
        ],
      },
      {
        type: 'integer[][]',
        values: [
          [
            "'{{1,2},{3,4}}'",
            '{{1,2},{3,4}}',
            '000000020000000000000017000000020000000100000002000000010000000400000001000000040000000200000004000000030000000400000004',
          ],
          ['NULL', null, null],
        ],
      },
    ],
  },
];

export default GROUPS.map((g) =>
  defineScenario({
    id: g.id,
    category: 'protocol-framing',
    pool: 'single',
    why: g.why,
    docs: FORMAT_CODES,
    sessions: { a: {} },
    steps: [readBack(g.types, 'binary'), readBack(g.types, 'text'), sentBack(g.types)],
  }),
);
