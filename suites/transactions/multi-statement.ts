// A transaction block spans several statements, sent one by one or in one simple Query string;
// ReadyForQuery reports after each exchange whether the session is idle (I), in a transaction
// block (T) or in a failed one (E). Statement pooling refuses transaction blocks, so these
// scenarios show what an application relying on them meets.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT
import { defineScenario, msg, observe, step } from '../../harness/scenario/define.ts';

const MULTI = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT';
const TABLE = { setup: ['CREATE TABLE {{t}} (x int)'], teardown: ['DROP TABLE IF EXISTS {{t}}'] };

export default [
  defineScenario({
    id: 'transactions/multi-statement-transaction-commits-together',
    category: 'transactions',
    pool: 'single',
    why: 'Statements sent one by one between BEGIN and COMMIT must become visible together at COMMIT, not one at a time.',
    docs: 'https://www.postgresql.org/docs/current/sql-begin.html',
    ...TABLE,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'INSERT INTO {{t}} VALUES (2)'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'COMMIT'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['2']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/whole-transaction-in-one-query-string',
    category: 'transactions',
    pool: 'single',
    why: 'A whole BEGIN ... COMMIT sent as one Query string must commit and leave the session outside any transaction.',
    docs: MULTI,
    ...TABLE,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN; INSERT INTO {{t}} VALUES (1); INSERT INTO {{t}} VALUES (2); COMMIT'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['2']] } }),
      step('a', 'SAVEPOINT {{sp}}', { label: 'SAVEPOINT: 25P01, no transaction is left open', expect: { error: '25P01' } }),
    ],
  }),
  defineScenario({
    id: 'transactions/error-in-query-string-leaves-transaction-aborted',
    category: 'transactions',
    pool: 'single',
    why: 'An error inside a BEGIN ... COMMIT Query string skips the COMMIT and leaves the session in a failed transaction (25P02) until the client rolls back.',
    docs: MULTI,
    ...TABLE,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN; INSERT INTO {{t}} VALUES (1); SELECT 1/0; COMMIT', { expect: { error: '22012' } }),
      step('a', 'SELECT 1', { expect: { error: '25P02' } }),
      step('a', 'ROLLBACK'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/ready-for-query-follows-transaction-state',
    category: 'transactions',
    pool: 'single',
    why: 'Drivers decide whether they are in a transaction from ReadyForQuery (I/T/E); every exchange must end with one, reflecting the transaction (see the transcript).',
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Query BEGIN (ReadyForQuery T)',
        messages: [msg.query('BEGIN')],
        expect: { messages: ['CommandComplete', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Query SELECT 1 (T)',
        messages: [msg.query('SELECT 1')],
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Query SELECT 1/0 (E)',
        messages: [msg.query('SELECT 1/0')],
        expect: { messages: ['ErrorResponse:22012', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Query SELECT 1 in the failed transaction (E)',
        messages: [msg.query('SELECT 1')],
        expect: { messages: ['ErrorResponse:25P02', 'ReadyForQuery'] },
      },
      { session: 'a', label: 'Query ROLLBACK (I)', messages: [msg.query('ROLLBACK')], expect: { messages: ['CommandComplete', 'ReadyForQuery'] } },
      {
        session: 'a',
        label: 'one Query: BEGIN; SELECT 1; COMMIT (I)',
        messages: [msg.query('BEGIN; SELECT 1; COMMIT')],
        expect: { messages: ['CommandComplete', 'RowDescription', 'DataRow', 'CommandComplete', 'CommandComplete', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'one Query: BEGIN; SELECT 1/0; COMMIT (E: the COMMIT is skipped)',
        messages: [msg.query('BEGIN; SELECT 1/0; COMMIT')],
        expect: { messages: ['CommandComplete', 'ErrorResponse:22012', 'ReadyForQuery'] },
      },
      { session: 'a', label: 'Query ROLLBACK (I)', messages: [msg.query('ROLLBACK')], expect: { messages: ['CommandComplete', 'ReadyForQuery'] } },
    ],
  }),
];
