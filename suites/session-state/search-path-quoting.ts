// SET search_path keeps the list as PostgreSQL flattened it: identifiers that need quotes ("$user",
// a name with a double quote in it) stay quoted once, and SHOW gives the same text for the rest
// of the session. A pooler that replays the client's search_path on each server connection it
// hands over must replay that text as it is, or each replay quotes it once more and the path
// names other schemas.
// https://www.postgresql.org/docs/current/ddl-schemas.html#DDL-SCHEMAS-PATH
//
// b runs on the single pool between a's transactions, so in transaction pooling a's server is
// handed over and back each time.
import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

/** "$user", then a schema named "$odd" (double quotes part of its name), then public, as SHOW prints it. */
const PATH = '"$user", """$odd""", public';

const inTransaction = (n: number): StepSpec[] => [
  step('b', 'SELECT 1', { expect: { rows: [['1']] }, label: `b takes the server between a's transactions (${n})` }),
  step('a', 'BEGIN'),
  step('a', 'SHOW search_path', { expect: { rows: [[PATH]] } }),
  step('a', 'COMMIT'),
];

export default [
  defineScenario({
    id: 'session-state/quoted-search-path-same-text-across-transactions',
    category: 'session-state',
    pool: 'single',
    why: 'A search_path with quoted entries must read back byte for byte in every later transaction; a pooler that re-quotes it on each replay drifts to schemas that do not exist, and unqualified names stop resolving.',
    docs: 'https://www.postgresql.org/docs/current/ddl-schemas.html#DDL-SCHEMAS-PATH',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SET search_path TO "$user", \'"$odd"\', public'),
      step('a', 'SHOW search_path', { expect: { rows: [[PATH]] } }),
      ...inTransaction(1),
      ...inTransaction(2),
      ...inTransaction(3),
      step('a', 'SELECT current_schemas(false)', { expect: { rows: [['{public}']] } }),
    ],
  }),
];
