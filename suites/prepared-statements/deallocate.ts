// DEALLOCATE acts on the calling session's prepared statements only, whether they were made by
// SQL PREPARE or by a protocol-level Parse. https://www.postgresql.org/docs/current/sql-deallocate.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

const DEALLOCATE = 'https://www.postgresql.org/docs/current/sql-deallocate.html';

export default [
  defineScenario({
    id: 'prepared-statements/deallocate-all-spares-other-clients-sql-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "One client's DEALLOCATE ALL must not remove statements another client PREPAREd (its next EXECUTE would fail with 26000).",
    docs: DEALLOCATE,
    sessions: { a: {}, b: {} },
    steps: [step('a', 'PREPARE {{ps}} AS SELECT 4'), step('b', 'DEALLOCATE ALL'), step('a', 'EXECUTE {{ps}}', { expect: { rows: [['4']] } })],
  }),

  defineScenario({
    id: 'prepared-statements/deallocate-all-spares-other-clients-protocol-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "One client's DEALLOCATE ALL must not remove another client's protocol-level statement (its next Bind would fail with 26000).",
    docs: DEALLOCATE,
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT 3' }, expect: { rows: [['3']] } },
      step('b', 'DEALLOCATE ALL'),
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT 3' }, expect: { rows: [['3']] } },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/deallocate-name-of-other-clients-sql-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "DEALLOCATE of a name only another client PREPAREd must fail (26000) and leave that client's statement working.",
    docs: DEALLOCATE,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'PREPARE {{ps}} AS SELECT 5'),
      step('b', 'DEALLOCATE {{ps}}', { expect: { error: '26000' } }),
      step('a', 'EXECUTE {{ps}}', { expect: { rows: [['5']] } }),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/deallocate-name-of-other-clients-protocol-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "DEALLOCATE of a name only another client prepared by Parse must fail (26000) and leave that client's statement working.",
    docs: DEALLOCATE,
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT 6' }, expect: { rows: [['6']] } },
      step('b', 'DEALLOCATE {{st}}', { expect: { error: '26000' } }),
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT 6' }, expect: { rows: [['6']] } },
    ],
  }),
];
