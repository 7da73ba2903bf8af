// An empty query is answered with EmptyQueryResponse (not CommandComplete) and, as a simple
// Query, ReadyForQuery with the transaction's status, failed or not: connection pools and
// drivers use it as a cheap liveness probe, also inside a transaction that already failed.
// Over the extended protocol an empty statement parses, but in a failed transaction only a
// transaction-ending statement may be bound (25P02).
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY
import { defineScenario, msg, observe, step } from '../../harness/scenario/define.ts';

const SIMPLE_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY';

export default [
  defineScenario({
    id: 'transactions/empty-query-in-aborted-transaction',
    category: 'transactions',
    pool: 'single',
    why: "A driver's validation probe (an empty query) sent in a transaction that failed gets EmptyQueryResponse and ReadyForQuery(E), and ROLLBACK TO a savepoint then recovers the transaction; a pooler that answers the probe itself with another status, or takes the empty answer for a hang, breaks the recovery.",
    docs: SIMPLE_QUERY,
    setup: ['CREATE TABLE {{t}} (id int UNIQUE)', 'INSERT INTO {{t}} VALUES (1)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SAVEPOINT {{sp}}'),
      step('a', 'INSERT INTO {{t}} VALUES (2)'),
      step('a', 'INSERT INTO {{t}} VALUES (1)', { expect: { error: '23505' } }),
      { session: 'a', label: 'an empty query', messages: [msg.query(';')], expect: { messages: ['EmptyQueryResponse', 'ReadyForQuery:E'] } },
      {
        session: 'a',
        label: 'an empty statement over the extended protocol: it parses, but the Bind is refused in the failed transaction',
        messages: [msg.parse('', ''), msg.bind(), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'ErrorResponse:25P02', 'ReadyForQuery:E'] },
      },
      {
        session: 'a',
        label: 'ROLLBACK TO the savepoint, then the empty query again',
        messages: [msg.query('ROLLBACK TO SAVEPOINT {{sp}}'), msg.query('')],
        expect: { messages: ['CommandComplete', 'ReadyForQuery:T', 'EmptyQueryResponse', 'ReadyForQuery:T'] },
      },
      step('a', "SELECT 'recovered'", { expect: { rows: [['recovered']] } }),
      step('a', 'COMMIT'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),

  defineScenario({
    id: 'transactions/empty-statement-over-extended-protocol-in-transaction',
    category: 'transactions',
    pool: 'single',
    why: "An empty statement prepared by name and executed inside a transaction block (a driver's ping through its prepared-statement path) gets EmptyQueryResponse and ReadyForQuery(T); a pooler waiting for a CommandComplete hangs, one that takes the reply as the end of the transaction hands the server to another client.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'BEGIN; Close, Parse {{st}} (;), Bind, Execute, Sync; COMMIT',
        messages: [
          msg.query('BEGIN'),
          msg.closeStatement('{{st}}'),
          msg.parse('{{st}}', ';'),
          msg.bind('{{st}}'),
          msg.execute(),
          msg.sync(),
          msg.query('COMMIT'),
        ],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'CloseComplete',
            'ParseComplete',
            'BindComplete',
            'EmptyQueryResponse',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          commandTags: ['BEGIN', 'COMMIT'],
        },
      },
      {
        session: 'a',
        messages: [msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'EmptyQueryResponse', 'ReadyForQuery:I'] },
      },
    ],
  }),
];
