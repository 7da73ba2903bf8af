// SQL prepared statements (PREPARE) last only as long as the session that made them.
// https://www.postgresql.org/docs/current/sql-prepare.html
// The client drops its socket without Terminate, as a crashed client would.
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-drops-sql-prepared-statement',
    category: 'abnormal-exits',
    pool: 'single',
    why: "A statement PREPAREd by a client that crashed must be gone: the next client's EXECUTE of that name must fail (26000), not run the other client's query.",
    docs: 'https://www.postgresql.org/docs/current/sql-prepare.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "PREPARE {{p}} AS SELECT 'from-a'"),
      step('a', 'EXECUTE {{p}}', { expect: { rows: [['from-a']] } }),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'EXECUTE {{p}}', { expect: { error: '26000' } }),
      step('b', "PREPARE {{p}} AS SELECT 'from-b'", { label: 'b can prepare the same name' }),
    ],
  }),
];
