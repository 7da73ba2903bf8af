// A prepared statement is not transactional: PREPARE inside a transaction that rolls back still
// leaves the statement in the session, a failed later transaction does not remove it, and a
// PREPARE that could not run (the transaction had already failed) creates nothing.
// https://www.postgresql.org/docs/current/sql-prepare.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

const PREPARE = 'https://www.postgresql.org/docs/current/sql-prepare.html';
const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

export default [
  defineScenario({
    id: 'prepared-statements/sql-prepare-survives-rollback',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A statement PREPAREd inside a transaction that rolled back still exists in PostgreSQL; an application that re-PREPAREs it gets 42P05, one that EXECUTEs it must get its rows.',
    docs: PREPARE,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'PREPARE {{ps}} AS SELECT 7'),
      step('a', 'ROLLBACK'),
      step('a', 'EXECUTE {{ps}}', { expect: { rows: [['7']] } }),
      step('a', 'PREPARE {{ps}} AS SELECT 7', { expect: { error: '42P05' } }),
    ],
  }),
  defineScenario({
    id: 'prepared-statements/sql-prepare-in-failed-transaction-creates-nothing',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A PREPARE sent after an error in the same transaction is refused (25P02) and must leave no statement behind.',
    docs: PREPARE,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'PREPARE {{ps}} AS SELECT 7', { expect: { error: '25P02' } }),
      step('a', 'ROLLBACK'),
      step('a', 'EXECUTE {{ps}}', { expect: { error: '26000' } }),
    ],
  }),
  defineScenario({
    id: 'prepared-statements/sql-prepared-survives-failed-transaction',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A statement PREPAREd earlier must survive a later transaction that failed and rolled back (a pooler that resets or replaces the server after an error loses it: 26000).',
    docs: PREPARE,
    sessions: { a: {} },
    steps: [
      step('a', 'PREPARE {{ps}}(int) AS SELECT $1 * 2'),
      step('a', 'BEGIN'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'ROLLBACK'),
      step('a', 'EXECUTE {{ps}}(21)', { expect: { rows: [['42']] } }),
    ],
  }),
  defineScenario({
    id: 'prepared-statements/named-survives-failed-transaction',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A protocol-level statement a driver prepared must survive a later failed transaction; drivers do not prepare it again and would get 26000.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT $1::int * 2 AS doubled', params: ['21'] }, expect: { rows: [['42']] } },
      step('a', 'BEGIN'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'ROLLBACK'),
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT $1::int * 2 AS doubled', params: ['50'] }, expect: { rows: [['100']] } },
    ],
  }),
];
