// A transaction sent as one pipeline, as psycopg's pipeline mode sends it without autocommit:
// BEGIN, the INSERTs and COMMIT as Parse/Bind/Execute before one Sync, then a BEGIN and a read
// before the next Sync, and its COMMIT. The explicit transaction inside the pipeline is
// PostgreSQL's to open and close; the ReadyForQuery after each Sync says where it stands.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel } from '../../harness/scenario/model.ts';
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const run = (sql: string, params: string[] = []): FrontendMessage[] => [msg.parse('', sql), msg.bind('', params), msg.execute()];
const done: MessageLabel[] = ['ParseComplete', 'BindComplete', 'CommandComplete'];

export default [
  defineScenario({
    id: 'transactions/transaction-in-a-pipeline',
    category: 'transactions',
    pool: 'single',
    why: 'BEGIN, three INSERTs and COMMIT pipelined before one Sync, then BEGIN and a count before the next, must commit the rows and count them (psycopg pipeline mode); a pooler that tracks the transaction from whole messages only, or hands the server on at the first ReadyForQuery, loses rows or answers the count on another server.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING',
    setup: ['CREATE TABLE {{t}} (id bigint PRIMARY KEY, value text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'one write: BEGIN, 3 INSERTs, COMMIT, Sync; BEGIN, count, Sync; COMMIT, Sync',
        messages: [
          ...run('BEGIN'),
          ...['a', 'b', 'c'].flatMap((v, i) => run('INSERT INTO {{t}} (id, value) VALUES ($1, $2)', [String(i + 1), v])),
          ...run('COMMIT'),
          msg.sync(),
          ...run('BEGIN'),
          ...run('SELECT count(*) FROM {{t}}'),
          msg.sync(),
          ...run('COMMIT'),
          msg.sync(),
        ],
        expect: {
          messages: [
            ...done,
            ...done,
            ...done,
            ...done,
            ...done,
            'ReadyForQuery:I',
            ...done,
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            ...done,
            'ReadyForQuery:I',
          ],
          rows: [['3']],
          commandTags: ['BEGIN', 'INSERT 0 1', 'INSERT 0 1', 'INSERT 0 1', 'COMMIT', 'BEGIN', 'SELECT 1', 'COMMIT'],
        },
      },
      { session: 'b', sql: 'SELECT count(*) FROM {{t}}', expect: { rows: [['3']] } },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['3']] } }),
    ],
  }),
];
