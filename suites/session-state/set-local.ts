import { defineScenario, step } from '../../harness/scenario/define.ts';

// SET LOCAL lasts until the end of the current transaction only.
const DOCS = 'https://www.postgresql.org/docs/current/sql-set.html';

export default [
  defineScenario({
    id: 'session-state/set-local-ends-at-commit',
    category: 'session-state',
    pool: 'single',
    why: 'A SET LOCAL must end with its transaction; if it survived COMMIT the client (or the next one) would keep a per-transaction timeout.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', 'BEGIN'),
      step('a', "SET LOCAL statement_timeout = '4321s'"),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
      step('a', 'COMMIT'),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-local-in-one-query-string',
    category: 'session-state',
    pool: 'single',
    why: 'A whole transaction sent as one query string with SET LOCAL must leave no setting behind for this client or the next.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "BEGIN; SET LOCAL statement_timeout = '4321s'; COMMIT"),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
];
