// LIMIT and OFFSET may be parameters, and a NULL one means no limit (or no offset): "LIMIT ALL"
// and "OFFSET 0". Query builders bind them (postgres.js, Prisma and pgx pass page sizes as
// parameters, NULL for "all"), as text or, from pgx, as a binary int8. A pooler that reads these
// parameters (to route, to merge rows from several servers, to rewrite the query) must treat NULL
// and binary values as PostgreSQL does, not refuse the Bind or cut the result.
// https://www.postgresql.org/docs/current/queries-limit.html
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const LIMIT = 'https://www.postgresql.org/docs/current/queries-limit.html';

const rowsOf = (n: number): MessageLabel[] => Array.from({ length: n }, (): MessageLabel => 'DataRow');

/** The unnamed statement, as postgres.js without prepare sends it: Parse, Bind, Execute, Sync. */
const unnamed = (sql: string, params: (string | null)[], values: string[]): StepSpec => ({
  session: 'a',
  label: `${sql} with (${params.map((p) => p ?? 'NULL').join(', ')})`,
  messages: [msg.parse('', sql), msg.bind('', params), msg.execute(), msg.sync()],
  expect: {
    messages: ['ParseComplete', 'BindComplete', ...rowsOf(values.length), 'CommandComplete', 'ReadyForQuery:I'],
    rows: values.map((v) => [v]),
  },
});

const int8 = (n: number): ReturnType<typeof msg.hex> => msg.hex(n.toString(16).padStart(16, '0'));
/** A named statement bound twice with binary int8 parameters, as pgx sends them. */
const binaryBinds = (params: number[][]): FrontendMessage[] => [
  msg.parse('{{st}}', 'SELECT v FROM {{t}} WHERE v >= $1 ORDER BY v LIMIT $2 OFFSET $3'),
  ...params.flatMap((p) => [msg.bind('{{st}}', p.map(int8), '', { params: ['binary'] }), msg.execute()]),
  msg.sync(),
];

export default [
  defineScenario({
    id: 'prepared-statements/limit-and-offset-bound-to-null-or-binary',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A page query whose LIMIT or OFFSET is bound to NULL returns every row (NULL is no limit, no offset), and LIMIT/OFFSET sent as binary int8 parameters limit as given; a pooler that parses these parameters and rejects NULL or binary values fails the query or returns the wrong page.',
    docs: LIMIT,
    setup: ['CREATE TABLE {{t}} (v bigint)', 'INSERT INTO {{t}} SELECT generate_series(1, 5)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      unnamed('SELECT v FROM {{t}} ORDER BY v LIMIT $1', [null], ['1', '2', '3', '4', '5']),
      unnamed('SELECT v FROM {{t}} ORDER BY v LIMIT $1', ['2'], ['1', '2']),
      unnamed('SELECT v FROM {{t}} WHERE v >= $1 ORDER BY v LIMIT $2', ['2', null], ['2', '3', '4', '5']),
      unnamed('SELECT v FROM {{t}} ORDER BY v LIMIT $1 OFFSET $2', [null, null], ['1', '2', '3', '4', '5']),
      unnamed('SELECT v FROM {{t}} ORDER BY v LIMIT $1 OFFSET $2', [null, '3'], ['4', '5']),
      unnamed('SELECT v FROM {{t}} ORDER BY v LIMIT $1 OFFSET $2', ['2', null], ['1', '2']),
      {
        session: 'a',
        label: 'Parse {{st}} with LIMIT $2 OFFSET $3; Bind it twice with binary int8 parameters, one Sync',
        messages: binaryBinds([
          [1, 2, 1],
          [3, 5, 0],
        ]),
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'DataRow',
            'CommandComplete',
            'BindComplete',
            'DataRow',
            'DataRow',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [['2'], ['3'], ['3'], ['4'], ['5']],
        },
      },
    ],
  }),
];
