// A temporary table lives in the session's own temporary schema, which comes first in the search
// path: while it exists, its name means the temporary table, in and out of transactions and after
// an aborted one; once it is dropped the permanent table of the same name is seen again. Another
// session never sees it, and reads the permanent table.
// https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY
import { defineScenario, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY';
const PERMANENT = {
  setup: [
    'CREATE TABLE public.{{t}} (owner text)',
    "INSERT INTO public.{{t}} VALUES ('permanent')",
    'CREATE TABLE public.{{u}} (owner text)',
    "INSERT INTO public.{{u}} VALUES ('permanent')",
  ],
  teardown: ['DROP TABLE IF EXISTS public.{{t}}, public.{{u}}'],
};
const WHICH = 'SELECT owner FROM {{t}}';

export default [
  defineScenario({
    id: 'session-objects/temp-table-shadows-permanent-table',
    category: 'session-objects',
    pool: 'single',
    why: 'A temporary table named like a permanent one is what unqualified names mean until it is dropped; a pooler that loses or re-routes the session reads or writes the permanent table instead.',
    docs: DOCS,
    ...PERMANENT,
    sessions: { a: {} },
    steps: [
      step('a', "CREATE TEMP TABLE {{t}} (owner text); INSERT INTO {{t}} VALUES ('temporary')"),
      step('a', WHICH, { expect: { rows: [['temporary']] } }),
      step('a', 'BEGIN'),
      step('a', WHICH, { expect: { rows: [['temporary']] } }),
      step('a', "CREATE TEMP TABLE {{u}} (owner text); INSERT INTO {{u}} VALUES ('temporary')", {
        label: 'a second one, created inside the transaction',
      }),
      step('a', 'COMMIT'),
      step('a', 'BEGIN'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'ROLLBACK'),
      step('a', `${WHICH} UNION ALL SELECT owner FROM {{u}}`, {
        label: 'after an aborted transaction',
        expect: { rows: [['temporary'], ['temporary']] },
      }),
      step('a', 'DROP TABLE {{t}}, {{u}}', { label: 'drops both temporary tables, the first in the path' }),
      step('a', `${WHICH} UNION ALL SELECT owner FROM {{u}}`, { expect: { rows: [['permanent'], ['permanent']] } }),
      step('a', 'SELECT count(*) FROM public.{{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/temp-table-shadow-not-seen-by-next-client',
    category: 'session-objects',
    pool: 'single',
    why: "Another client's temporary table must not shadow a permanent table for this client: it would read and write another session's scratch rows under the permanent table's name.",
    docs: DOCS,
    ...PERMANENT,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "CREATE TEMP TABLE {{t}} (owner text); INSERT INTO {{t}} VALUES ('temporary')"),
      step('a', WHICH, { expect: { rows: [['temporary']] } }),
      step('b', WHICH, { expect: { rows: [['permanent']] } }),
      step('b', "INSERT INTO {{t}} VALUES ('from b')"),
      step('a', 'SELECT count(*) FROM public.{{t}}', { expect: { rows: [['2']] } }),
      step('a', WHICH, { expect: { rows: [['temporary']] } }),
    ],
  }),
];
