// PREPARE TRANSACTION detaches a transaction from the session: it survives the session's end,
// and any session can finish it with COMMIT PREPARED or ROLLBACK PREPARED. Its gid is unique.
// https://www.postgresql.org/docs/current/sql-prepare-transaction.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/sql-prepare-transaction.html';
const GID = "'gid-{{x}}'";
const PREPARED = `SELECT count(*) FROM pg_prepared_xacts WHERE gid = ${GID}`;
// A prepared transaction left by a failed run holds a lock on the table: do not wait on it.
const TEARDOWN = ["SET lock_timeout = '1s'", 'DROP TABLE IF EXISTS {{t}}'];

export default [
  defineScenario({
    id: 'transactions/prepared-transaction-committed-by-other-client',
    category: 'transactions',
    pool: 'single',
    why: 'A transaction coordinator prepares on one connection and commits from another; the prepared work must stay invisible until COMMIT PREPARED, then appear.',
    docs: DOCS,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: TEARDOWN,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', `PREPARE TRANSACTION ${GID}`),
      step('a', 'SELECT count(*) FROM {{t}}', {
        label: 'a is outside the prepared transaction: its row is not visible yet',
        expect: { rows: [['0']] },
      }),
      observe(PREPARED, { expect: { rows: [['1']] } }),
      step('b', `COMMIT PREPARED ${GID}`),
      observe(PREPARED, { expect: { rows: [['0']] } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/prepared-transaction-outlives-its-session',
    category: 'transactions',
    pool: 'single',
    why: 'A prepared transaction must survive its client disconnecting (that is what 2PC is for) and be rolled back later by another client.',
    docs: DOCS,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: TEARDOWN,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', `PREPARE TRANSACTION ${GID}`),
      { session: 'a', disconnect: 'terminate' },
      observe(PREPARED, { expect: { rows: [['1']] } }),
      step('b', `ROLLBACK PREPARED ${GID}`),
      observe(PREPARED, { expect: { rows: [['0']] } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/prepared-transaction-gid-in-use',
    category: 'transactions',
    pool: 'single',
    why: "A second PREPARE TRANSACTION with a gid already in use must fail (42710) and roll back that client's transaction, leaving the first one intact.",
    docs: DOCS,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: TEARDOWN,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', `PREPARE TRANSACTION ${GID}`),
      step('b', 'BEGIN'),
      step('b', 'INSERT INTO {{t}} VALUES (2)'),
      step('b', `PREPARE TRANSACTION ${GID}`, { expect: { error: '42710' } }),
      step('b', 'SAVEPOINT {{sp}}', { label: "SAVEPOINT: 25P01, b's transaction has ended", expect: { error: '25P01' } }),
      observe(PREPARED, { expect: { rows: [['1']] } }),
      step('b', `COMMIT PREPARED ${GID}`),
      observe("SELECT coalesce(string_agg(x::text, ','), '') FROM {{t}}", { expect: { rows: [['1']] } }),
    ],
  }),
];
