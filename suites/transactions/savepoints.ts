// SAVEPOINT marks a point inside a transaction; ROLLBACK TO SAVEPOINT undoes the work after it
// (and clears an error state) while keeping the savepoint; RELEASE SAVEPOINT keeps the work
// and forgets the savepoint.
// https://www.postgresql.org/docs/current/sql-savepoint.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const ROWS = "SELECT coalesce(string_agg(x::text, ',' ORDER BY x), '') FROM {{t}}";

export default [
  defineScenario({
    id: 'transactions/rollback-to-savepoint-undoes-later-work',
    category: 'transactions',
    pool: 'single',
    why: 'ROLLBACK TO SAVEPOINT must undo only the work after the savepoint; the rest of the transaction commits as the client wrote it.',
    docs: 'https://www.postgresql.org/docs/current/sql-rollback-to.html',
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'SAVEPOINT {{sp}}'),
      step('a', 'INSERT INTO {{t}} VALUES (2)'),
      step('a', 'ROLLBACK TO SAVEPOINT {{sp}}'),
      step('a', 'INSERT INTO {{t}} VALUES (3)'),
      step('a', ROWS, { expect: { rows: [['1,3']] } }),
      step('a', 'COMMIT'),
      observe(ROWS, { expect: { rows: [['1,3']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/rollback-to-savepoint-recovers-aborted-transaction',
    category: 'transactions',
    pool: 'single',
    why: "An error after a savepoint must be recoverable with ROLLBACK TO SAVEPOINT (how ORMs and psql's ON_ERROR_ROLLBACK retry one statement) without losing the earlier work.",
    docs: 'https://www.postgresql.org/docs/current/sql-rollback-to.html',
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'SAVEPOINT {{sp}}'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'SELECT 1', { expect: { error: '25P02' } }),
      step('a', 'ROLLBACK TO SAVEPOINT {{sp}}'),
      step('a', 'INSERT INTO {{t}} VALUES (2)'),
      step('a', 'COMMIT'),
      observe(ROWS, { expect: { rows: [['1,2']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/release-savepoint-keeps-work-forgets-name',
    category: 'transactions',
    pool: 'single',
    why: 'RELEASE SAVEPOINT keeps the work done after it but destroys the savepoint: a later ROLLBACK TO it fails (3B001) and aborts the transaction.',
    docs: 'https://www.postgresql.org/docs/current/sql-release-savepoint.html',
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SAVEPOINT {{sp}}'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'RELEASE SAVEPOINT {{sp}}'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
      step('a', 'ROLLBACK TO SAVEPOINT {{sp}}', { expect: { error: '3B001' } }),
      step('a', 'SELECT 1', { expect: { error: '25P02' } }),
      step('a', 'ROLLBACK'),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
];
