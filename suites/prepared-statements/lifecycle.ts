// The life of a named statement as a statement-tracking pooler (pgbouncer's
// max_prepared_statements, Odyssey's pool_reserve_prepared_statement) sees it, each step as
// PostgreSQL does it. Protocol-level and SQL-level statements share one namespace per session:
// https://www.postgresql.org/docs/current/sql-prepare.html ("prepared statements created by
// the extended query protocol ... are also listed in pg_prepared_statements").
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';
const PREPARE = 'https://www.postgresql.org/docs/current/sql-prepare.html';

const run = (session: string, name: string, params: (string | null)[], rows: string[][]): StepSpec => ({
  session,
  messages: [msg.bind(name, params), msg.execute(), msg.sync()],
  expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows },
});

/** More statements than pgbouncer keeps per server by default (max_prepared_statements = 200). */
const MANY = 250;
const many = Array.from({ length: MANY }, (_, i) => i + 1);

export default [
  defineScenario({
    id: 'prepared-statements/parse-same-name-twice-fails',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Parsing a name the session already has must fail (42P05) and keep the first statement; a pooler that silently replaces it runs another query than the one the client prepared.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      { session: 'a', messages: [msg.parse('{{st}}', "SELECT 'first' AS v"), msg.sync()], expect: { messages: ['ParseComplete', 'ReadyForQuery'] } },
      {
        session: 'a',
        label: 'Parse the same name with another query, Sync',
        messages: [msg.parse('{{st}}', "SELECT 'second' AS v"), msg.sync()],
        expect: { messages: ['ErrorResponse:42P05', 'ReadyForQuery'] },
      },
      run('a', '{{st}}', [], [['first']]),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/protocol-statement-visible-to-sql',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A statement prepared with Parse is the same object SQL sees: EXECUTE runs it and pg_prepared_statements lists it (monitoring, DEALLOCATE by name); a pooler that renames it hides it from the session.',
    docs: PREPARE,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('{{st}}', 'SELECT 7 * 6 AS answer'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ReadyForQuery'] },
      },
      step('a', "SELECT count(*) FROM pg_prepared_statements WHERE name = '{{st}}'", { expect: { rows: [['1']] } }),
      step('a', 'EXECUTE {{st}}', { expect: { rows: [['42']] } }),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/sql-prepared-bound-over-protocol',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A statement created by SQL PREPARE can be bound and executed over the extended protocol in the same session; a pooler that only knows the names it saw in Parse refuses it.',
    docs: PREPARE,
    sessions: { a: {} },
    steps: [step('a', 'PREPARE {{st}} (int) AS SELECT $1 * 2 AS doubled'), run('a', '{{st}}', ['21'], [['42']])],
  }),

  defineScenario({
    id: 'prepared-statements/more-named-statements-than-the-pool-keeps',
    category: 'prepared-statements',
    pool: 'single',
    why: `A session may hold any number of prepared statements; a pooler that keeps at most N per server (pgbouncer's max_prepared_statements, 200 by default) must still run the first of ${MANY} when the client binds it again.`,
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: `Parse ${MANY} named statements, Sync`,
        messages: [...many.map((i) => msg.parse(`{{st}}_${i}`, `SELECT ${i} AS n`)), msg.sync()],
        expect: { messages: [...many.map((): MessageLabel => 'ParseComplete'), 'ReadyForQuery'] },
      },
      run('a', '{{st}}_1', [], [['1']]),
      run('a', `{{st}}_${MANY}`, [], [[String(MANY)]]),
      run('a', '{{st}}_2', [], [['2']]),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/same-name-other-text-each-client-keeps-its-own',
    category: 'prepared-statements',
    pool: 'single',
    why: "Two clients that prepare the same name for different queries must each run their own; a shared server or a pooler that maps names by text alone gives one client the other's query.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('{{st}}', "SELECT 'from a' AS who"), msg.sync()],
        expect: { messages: ['ParseComplete', 'ReadyForQuery'] },
      },
      {
        session: 'b',
        messages: [msg.parse('{{st}}', "SELECT 'from b' AS who"), msg.sync()],
        expect: { messages: ['ParseComplete', 'ReadyForQuery'] },
      },
      run('a', '{{st}}', [], [['from a']]),
      run('b', '{{st}}', [], [['from b']]),
    ],
  }),
];
