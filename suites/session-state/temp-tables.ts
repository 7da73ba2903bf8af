import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

// A temporary table belongs to the session that created it and is dropped when that session ends.
const DOCS = 'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY';
const TEMP_COUNT = "SELECT count(*) FROM pg_class WHERE relname = '{{t}}' AND relpersistence = 't'";

export default [
  defineScenario({
    id: 'session-state/temp-table-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: "Another client's temporary table must not be visible: its rows (scratch data of another user) would be readable.",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (v text)'),
      step('a', "INSERT INTO {{t}} VALUES ('from-a')"),
      step('b', 'SELECT v FROM {{t}}', { expect: { error: '42P01' } }),
    ],
  }),
  defineScenario({
    id: 'session-state/temp-table-collides-with-next-client',
    category: 'session-state',
    pool: 'single',
    why: 'Two clients creating a temporary table of the same name must both succeed; a shared session makes the second fail with "already exists".',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (v text)'),
      step('b', 'CREATE TEMP TABLE {{t}} (v text)'),
      step('b', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/temp-table-dropped-at-disconnect',
    category: 'session-state',
    pool: 'single',
    why: 'A temporary table must disappear when its client disconnects; otherwise it lingers on the server and later clients inherit it.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (v text)'),
      // Not racing a pooler's reset after the transaction (see abnormal-exits/advisory-lock.ts).
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      observe(TEMP_COUNT, { expect: { rows: [['1']] } }),
      { session: 'a', disconnect: 'terminate' },
      { session: 'observer', waitFor: { sql: TEMP_COUNT, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      step('b', 'SELECT v FROM {{t}}', { expect: { error: '42P01' } }),
    ],
  }),
];
