// DEALLOCATE [PREPARE] of a statement made with SQL PREPARE removes it from the session: it is
// gone from pg_prepared_statements and EXECUTE of its name fails with 26000. A pooler that tracks
// SQL-level statements (to pin the session, or to re-create them on another server) and misses
// the DEALLOCATE keeps the statement alive or re-creates it.
// https://www.postgresql.org/docs/current/sql-deallocate.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'prepared-statements/sql-deallocate-prepare-drops-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: 'After DEALLOCATE PREPARE the statement must be gone (EXECUTE fails with 26000, pg_prepared_statements has no row), and its name free for a new PREPARE.',
    docs: 'https://www.postgresql.org/docs/current/sql-deallocate.html',
    sessions: { a: {} },
    steps: [
      step('a', 'PREPARE {{p}} AS SELECT 123'),
      step('a', 'EXECUTE {{p}}', { expect: { rows: [['123']] } }),
      step('a', "SELECT count(*) FROM pg_prepared_statements WHERE name = '{{p}}'", { expect: { rows: [['1']] } }),
      step('a', 'DEALLOCATE PREPARE {{p}}'),
      step('a', "SELECT count(*) FROM pg_prepared_statements WHERE name = '{{p}}'", { expect: { rows: [['0']] } }),
      step('a', 'EXECUTE {{p}}', { expect: { error: '26000' } }),
      step('a', 'PREPARE {{p}} AS SELECT 456', { label: 'the name is free again' }),
      step('a', 'EXECUTE {{p}} /* the new statement */', { expect: { rows: [['456']] } }),
    ],
  }),
];
