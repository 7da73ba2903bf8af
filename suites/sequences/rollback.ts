import { defineScenario, step } from '../../harness/scenario/define.ts';

// nextval() is never rolled back: a value drawn in a transaction that rolls back stays used,
// and it stays this session's currval() and lastval().
// https://www.postgresql.org/docs/current/functions-sequence.html
const DOCS = 'https://www.postgresql.org/docs/current/functions-sequence.html';

export default [
  defineScenario({
    id: 'sequences/nextval-in-rolled-back-transaction-stays-used',
    category: 'sequences',
    pool: 'single',
    why: 'A value drawn in a rolled-back transaction is consumed (ids have gaps) and stays currval()/lastval(); retry logic that reads currval() after a rollback relies on it.',
    docs: DOCS,
    setup: ['CREATE SEQUENCE {{seq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', "SELECT nextval('{{seq}}')", { save: 'v1' }),
      step('a', 'ROLLBACK'),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['$v1']] } }),
      step('a', 'SELECT lastval()', { expect: { rows: [['$v1']] } }),
      step('a', "SELECT nextval('{{seq}}') = {{$v1}} + 1 AS next_after_gap", { expect: { rows: [['t']] } }),
    ],
  }),
];
