// A Parse may name its parameters' types by oid, and then the statement's parameters (and, for a
// bare $1, its result columns) have those types: postgres.js, Npgsql and tokio-postgres send
// jsonb, arrays and timestamptz this way, as text values. The types belong to the statement: a
// pooler that prepares the client's statement again on another server connection must send
// them again, or the same Bind gets another type (text instead of jsonb) or an error.
// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSE
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const PARSE = 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSE';
/** pg_type oids: jsonb, int4[], timestamptz, text[]. */
const JSONB = 3802;
const INT4_ARRAY = 1007;
const TIMESTAMPTZ = 1184;
const TEXT_ARRAY = 1009;

const parse = (name: string, sql: string, types: number[]): FrontendMessage => ({ type: 'Parse', name, sql, types });
const bindRun = (values: string[], row: string[]): StepSpec => ({
  session: 'a',
  label: `Bind {{st}} (${values.join(', ')}), Execute, Sync`,
  messages: [msg.bind('{{st}}', values), msg.execute(), msg.sync()],
  expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [row] },
});

export default [
  defineScenario({
    id: 'prepared-statements/parameter-types-kept-by-the-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Parameters typed in the Parse (jsonb, int4[], timestamptz, text[]) give the values those types every time the statement runs, also after another client had the server connection; a pooler that re-prepares the statement without the types returns jsonb as unnormalised text or fails = ANY($1).',
    docs: PARSE,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} (SELECT $1, $2, $3) typed jsonb, int4[], timestamptz, Sync',
        messages: [parse('{{st}}', 'SELECT $1 AS j, $2 AS a, $3 AS t', [JSONB, INT4_ARRAY, TIMESTAMPTZ]), msg.sync()],
        expect: { messages: ['ParseComplete', 'ReadyForQuery:I'] },
      },
      bindRun(['{"b":[1,2],"a":1}', '{3,1,2}', '2024-03-01 12:34:56Z'], ['{"a": 1, "b": [1, 2]}', '{3,1,2}', '2024-03-01 12:34:56+00']),
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
      bindRun(['{"c":null}', '{}', '1999-12-31 23:00:00-01'], ['{"c": null}', '{}', '2000-01-01 00:00:00+00']),
      {
        session: 'a',
        label: 'the unnamed statement: = ANY($1) with $1 typed int4[], && with $1 typed text[], one Sync',
        messages: [
          parse('', 'SELECT v FROM (VALUES (1), (2), (3)) AS t(v) WHERE v = ANY($1) ORDER BY v', [INT4_ARRAY]),
          msg.bind('', ['{1,3}']),
          msg.execute(),
          parse('', "SELECT ARRAY['a', 'b'] && $1, $1", [TEXT_ARRAY]),
          msg.bind('', ['{b,"c d"}']),
          msg.execute(),
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
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [['1'], ['3'], ['t', '{b,"c d"}']],
        },
      },
    ],
  }),
];
