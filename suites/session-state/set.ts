import { defineScenario, step } from '../../harness/scenario/define.ts';

// SET changes a setting for the rest of the session, and only for that session.
const DOCS = 'https://www.postgresql.org/docs/current/sql-set.html';

export default [
  defineScenario({
    id: 'session-state/set-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: "A SET by one client must not change the next client's session (statement_timeout, search_path leak across tenants).",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout = '4321s'"),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['4321s']] } }),
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-overwritten-by-other-client',
    category: 'session-state',
    pool: 'single',
    why: "A client's own SET silently changes under it when another client SETs the same parameter (its lock_timeout is no longer the one it chose).",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SET lock_timeout = '1111s'"),
      step('b', "SET lock_timeout = '2222s'"),
      step('b', 'SHOW lock_timeout', { expect: { rows: [['2222s']] } }),
      step('a', 'SHOW lock_timeout', { expect: { rows: [['1111s']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-survives-later-transactions',
    category: 'session-state',
    pool: 'single',
    why: "A setting made with SET must still apply to the same client's later transactions, even after other clients ran theirs.",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SET work_mem = '3333kB'"),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW work_mem', { expect: { rows: [['3333kB']] } }),
    ],
  }),
];
