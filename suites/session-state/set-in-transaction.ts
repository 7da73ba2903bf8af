import { defineScenario, step } from '../../harness/scenario/define.ts';

// SET inside a transaction block is transactional: it lasts beyond COMMIT, but is undone when
// the transaction (or the savepoint it was made under) rolls back, also after an error.
// https://www.postgresql.org/docs/current/sql-set.html
const DOCS = 'https://www.postgresql.org/docs/current/sql-set.html';

export default [
  defineScenario({
    id: 'session-state/set-undone-by-failed-transaction',
    category: 'session-state',
    pool: 'single',
    why: 'Settings made in a transaction that failed and rolled back must be gone; a pooler that replays SETs it saw would keep a timeout or time zone the application never committed.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW lock_timeout', { save: 'l0' }),
      step('a', 'SHOW TimeZone', { save: 'tz0' }),
      step('a', 'BEGIN'),
      step('a', "SET lock_timeout = '1111s'"),
      step('a', "SET TimeZone = 'Pacific/Chatham'"),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'ROLLBACK'),
      step('a', "SELECT current_setting('lock_timeout'), current_setting('TimeZone')", { expect: { rows: [['$l0', '$tz0']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-in-committed-transaction-persists',
    category: 'session-state',
    pool: 'single',
    why: 'A plain SET made inside a transaction that commits stays for the rest of the session, also after other clients ran their transactions.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', "SET lock_timeout = '1111s'"),
      step('a', 'COMMIT'),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW lock_timeout', { expect: { rows: [['1111s']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-undone-by-rollback-to-savepoint',
    category: 'session-state',
    pool: 'single',
    why: 'A SET made after a savepoint must be undone by ROLLBACK TO that savepoint while the transaction goes on (ORMs use savepoints for nested transactions).',
    docs: 'https://www.postgresql.org/docs/current/sql-rollback-to.html',
    sessions: { a: {} },
    steps: [
      step('a', 'SHOW lock_timeout', { save: 'l0' }),
      step('a', 'BEGIN'),
      step('a', 'SAVEPOINT {{sp}}'),
      step('a', "SET lock_timeout = '1111s'"),
      step('a', 'ROLLBACK TO SAVEPOINT {{sp}}'),
      step('a', "SELECT current_setting('lock_timeout')", { expect: { rows: [['$l0']] } }),
      step('a', 'COMMIT'),
      step('a', "SELECT current_setting('lock_timeout') AS after_commit", { expect: { rows: [['$l0']] } }),
    ],
  }),
];
