// A SET inside a transaction whose Queries are written in one go, then ROLLBACK (spqr's xproto
// TestSimpleAdvancedSETParsing): the SET holds until the ROLLBACK and is undone by it.
// https://www.postgresql.org/docs/current/sql-set.html
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'session-state/set-in-pipelined-transaction-undone-by-rollback',
    category: 'session-state',
    pool: 'single',
    why: "A SET search_path inside a transaction is seen by the transaction's later statements and undone by its ROLLBACK, also when the Queries arrive in one write; a pooler that records SETs to replay them, or answers SHOW from its own record, keeps the rolled-back value and later statements resolve names in the wrong schema.",
    docs: 'https://www.postgresql.org/docs/current/sql-set.html',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'BEGIN, SELECT, SET search_path, SHOW, a SELECT that fails unless the SET holds, ROLLBACK, SHOW as seven Queries in one write',
        messages: [
          msg.query('BEGIN'),
          msg.query('SELECT 3 AS kek'),
          msg.query("SET search_path TO 'lol'"),
          msg.query('SHOW search_path'),
          // Fails with 22012 unless the SET holds here: the rows of a write are only its last result's.
          msg.query("SELECT 1 / (current_setting('search_path') = 'lol')::int AS holds"),
          msg.query('ROLLBACK'),
          msg.query('SHOW search_path'),
        ],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [['"$user", public']],
          commandTags: ['BEGIN', 'SELECT 1', 'SET', 'SHOW', 'SELECT 1', 'ROLLBACK', 'SHOW'],
        },
      },
      { session: 'a', sql: 'SHOW search_path', label: 'in a later transaction too', expect: { rows: [['"$user", public']] } },
    ],
  }),
];
