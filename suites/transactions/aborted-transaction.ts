// An error inside a transaction block aborts it: every later statement fails with 25P02
// ("current transaction is aborted") until the block ends, and COMMIT then rolls back.
// https://www.postgresql.org/docs/current/tutorial-transactions.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/tutorial-transactions.html';

export default [
  defineScenario({
    id: 'transactions/error-aborts-transaction-until-rollback',
    category: 'transactions',
    pool: 'single',
    why: 'After an error in a transaction the client must get 25P02 for every statement until ROLLBACK, then a working session; retry logic depends on both.',
    docs: DOCS,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'SELECT 1', { expect: { error: '25P02' } }),
      step('a', 'INSERT INTO {{t}} VALUES (2)', { expect: { error: '25P02' } }),
      step('a', 'ROLLBACK'),
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/commit-of-aborted-transaction-rolls-back',
    category: 'transactions',
    pool: 'single',
    why: 'COMMIT of an aborted transaction rolls it back and ends it; a client that believed its earlier rows were saved loses them, and its next statement runs outside any transaction.',
    docs: 'https://www.postgresql.org/docs/current/sql-commit.html',
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'COMMIT', { label: 'COMMIT (answered with the ROLLBACK tag)' }),
      // SAVEPOINT outside a transaction block fails with 25P01: the transaction has ended.
      step('a', 'SAVEPOINT {{sp}}', { label: 'SAVEPOINT: 25P01 when no transaction is open', expect: { error: '25P01' } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
];
