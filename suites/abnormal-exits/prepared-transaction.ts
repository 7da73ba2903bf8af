// A prepared transaction (two-phase commit) is not part of the session any more: it survives
// the client crashing, and another client finishes it.
// https://www.postgresql.org/docs/current/sql-prepare-transaction.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const GID = "'gid-{{x}}'";

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-keeps-prepared-transaction',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A transaction a client PREPAREd before crashing must survive (unlike its open transactions) and be committable by another client.',
    docs: 'https://www.postgresql.org/docs/current/sql-prepare-transaction.html',
    setup: ['CREATE TABLE {{t}} (x int)'],
    // A prepared transaction left by a failed run holds a lock on the table: do not wait on it.
    teardown: ["SET lock_timeout = '1s'", 'DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', `PREPARE TRANSACTION ${GID}`),
      { session: 'a', disconnect: 'abrupt' },
      observe(`SELECT count(*) FROM pg_prepared_xacts WHERE gid = ${GID}`, { expect: { rows: [['1']] } }),
      step('b', `COMMIT PREPARED ${GID}`),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
];
