// A simple Query may arrive while an extended-protocol sequence is unfinished (no Sync yet):
// PostgreSQL runs it at once, answers it with its own ReadyForQuery, and goes on with the
// extended messages after it. pgjdbc's autosave sends its SAVEPOINT this way inside a
// transaction. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
// ("a Query message ... can be sent at any time")
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

export default [
  defineScenario({
    id: 'protocol-framing/simple-query-between-parse-and-bind',
    category: 'protocol-framing',
    pool: 'single',
    why: 'An empty simple Query between a named Parse and its Bind, with no Sync before it, gets EmptyQueryResponse and its own ReadyForQuery, then the Bind runs the statement; a pooler that waits for the Sync first, or refuses the Query, hangs or drops the client.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}}, an empty Query, Bind {{st}}, Execute, Sync',
        messages: [msg.parse('{{st}}', 'SELECT 42'), msg.query(';'), msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'EmptyQueryResponse', 'ReadyForQuery:I', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'],
          rows: [['42']],
        },
      },
      { session: 'a', read: { forMs: 300 }, expect: { messages: [] } },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/simple-savepoint-inside-extended-transaction',
    category: 'protocol-framing',
    pool: 'single',
    why: 'pgjdbc with autosave sends BEGIN over the extended protocol, then SAVEPOINT as a simple Query before the Sync, then its statement: each gets its answer in order inside one transaction, and ROLLBACK TO the savepoint works; a pooler that treats the Query as the end of the batch or guards against it with a FATAL breaks every autosave transaction.',
    docs: EXT_QUERY,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse/Bind/Execute BEGIN, Query SAVEPOINT, Parse/Bind/Execute INSERT 1, Sync',
        messages: [
          msg.parse('', 'BEGIN'),
          msg.bind(),
          msg.execute(),
          msg.query('SAVEPOINT {{sp}}'),
          msg.parse('', 'INSERT INTO {{t}} VALUES (1)'),
          msg.bind(),
          msg.execute(),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'CommandComplete',
            'ReadyForQuery:T',
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery:T',
          ],
          commandTags: ['BEGIN', 'SAVEPOINT', 'INSERT 0 1'],
        },
      },
      {
        session: 'a',
        label: 'Query SAVEPOINT, then a failing INSERT over the extended protocol, Sync',
        messages: [msg.query('SAVEPOINT {{sp2}}'), msg.parse('', 'INSERT INTO {{t}} VALUES (1 / 0)'), msg.bind(), msg.execute(), msg.sync()],
        // The constant division is folded, and fails, when the Bind plans the statement.
        expect: { messages: ['CommandComplete', 'ReadyForQuery:T', 'ParseComplete', 'ErrorResponse:22012', 'ReadyForQuery:E'] },
      },
      { session: 'a', sql: 'ROLLBACK TO SAVEPOINT {{sp2}}' },
      { session: 'a', sql: 'COMMIT' },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
];
