// SQL-level PREPARE / EXECUTE: the statement lives in the session that prepared it.
// https://www.postgresql.org/docs/current/sql-prepare.html
import { releaseObserverLock, waitOnObserverLock } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const PREPARE = 'https://www.postgresql.org/docs/current/sql-prepare.html';

const occupyServer = (session: string) => waitOnObserverLock(session, 'held');
const releaseServer = (session: string) => releaseObserverLock(session, 'held');

export default [
  defineScenario({
    id: 'prepared-statements/sql-execute-from-other-client',
    category: 'prepared-statements',
    pool: 'single',
    why: "EXECUTE of a name the client never PREPAREd must fail (26000) instead of running another client's statement.",
    docs: PREPARE,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'PREPARE {{ps}}(int) AS SELECT $1 + 1'),
      step('a', 'EXECUTE {{ps}}(1)', { expect: { rows: [['2']] } }),
      step('b', 'EXECUTE {{ps}}(1)', { expect: { error: '26000' } }),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/sql-prepare-same-name-in-two-clients',
    category: 'prepared-statements',
    pool: 'single',
    why: "Two clients may PREPARE the same name independently; on a shared server connection the second PREPARE fails (42P05) or EXECUTE runs the other client's query.",
    docs: PREPARE,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "PREPARE {{ps}} AS SELECT 'a'::text AS who"),
      step('b', "PREPARE {{ps}} AS SELECT 'b'::text AS who"),
      step('b', 'EXECUTE {{ps}}', { expect: { rows: [['b']] } }),
      step('a', 'EXECUTE {{ps}}', { expect: { rows: [['a']] } }),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/sql-prepared-reused-in-later-transaction',
    category: 'prepared-statements',
    pool: 'wide',
    why: 'A statement PREPAREd by a client must still be there for its next EXECUTE; on another server connection it is gone (26000).',
    docs: PREPARE,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'PREPARE {{ps}}(int) AS SELECT $1 * 10'),
      ...occupyServer('b'),
      step('a', 'EXECUTE {{ps}}(4)', { expect: { rows: [['40']] } }),
      ...releaseServer('b'),
    ],
  }),
];
