import { defineScenario, step } from '../../harness/scenario/define.ts';

// search_path decides which schema an unqualified table name resolves to, per session.
const DOCS = 'https://www.postgresql.org/docs/current/ddl-schemas.html#DDL-SCHEMAS-PATH';

// One table name in two schemas: a row tells which one a query read.
const SETUP = [
  'CREATE SCHEMA {{tenant}}',
  'CREATE TABLE {{tenant}}.{{t}} (owner text)',
  "INSERT INTO {{tenant}}.{{t}} VALUES ('tenant')",
  'CREATE TABLE public.{{t}} (owner text)',
  "INSERT INTO public.{{t}} VALUES ('public')",
];
const TEARDOWN = ['DROP SCHEMA IF EXISTS {{tenant}} CASCADE', 'DROP TABLE IF EXISTS public.{{t}}'];

export default [
  defineScenario({
    id: 'session-state/search-path-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: "A search_path set by one client must not redirect another client's unqualified table names (it would read another tenant's rows).",
    docs: DOCS,
    setup: SETUP,
    teardown: TEARDOWN,
    sessions: { a: {}, b: {} },
    steps: [
      step('b', 'SHOW search_path', { save: 'orig' }),
      step('a', 'SET search_path = {{tenant}}'),
      step('a', 'SELECT owner FROM {{t}}', { expect: { rows: [['tenant']] } }),
      step('b', 'SELECT owner FROM {{t}}', { expect: { rows: [['public']] } }),
      step('b', 'SHOW search_path', { expect: { rows: [['$orig']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/search-path-lost-to-other-client',
    category: 'session-state',
    pool: 'single',
    why: 'A client that set its search_path must keep resolving names in its schema after another client sets a different one.',
    docs: DOCS,
    setup: SETUP,
    teardown: TEARDOWN,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SET search_path = {{tenant}}'),
      step('b', 'SET search_path = public'),
      step('b', 'SELECT owner FROM {{t}}', { expect: { rows: [['public']] } }),
      step('a', 'SELECT owner FROM {{t}}', { expect: { rows: [['tenant']] } }),
      step('a', "SELECT current_schema() = '{{tenant}}'", { expect: { rows: [['t']] } }),
    ],
  }),
];
