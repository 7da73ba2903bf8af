// Inside a transaction, now() stays at the transaction's start, and a REPEATABLE READ
// transaction reads from one snapshot taken at its first statement.
// https://www.postgresql.org/docs/current/transaction-iso.html#XACT-REPEATABLE-READ
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'transactions/repeatable-read-keeps-snapshot',
    category: 'transactions',
    pool: 'single',
    why: 'A REPEATABLE READ transaction must keep reading its first snapshot; if its statements ran elsewhere, reports built from several queries would not add up.',
    docs: 'https://www.postgresql.org/docs/current/transaction-iso.html#XACT-REPEATABLE-READ',
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN ISOLATION LEVEL REPEATABLE READ'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      observe('INSERT INTO {{t}} VALUES (1)', { label: 'another session commits a row' }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'SHOW transaction_isolation', { expect: { rows: [['repeatable read']] } }),
      step('a', 'COMMIT'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/now-fixed-within-transaction',
    category: 'transactions',
    pool: 'single',
    why: "now() is the transaction's start time for all its statements; rows stamped in one transaction must carry one timestamp.",
    docs: 'https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT',
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT now()::text', { save: 't0' }),
      step('a', 'SELECT now()::text', { expect: { equals: '$t0' } }),
      step('a', 'COMMIT'),
      step('a', 'SELECT now()::text', { expect: { notEquals: '$t0' } }),
    ],
  }),
];
