import { defineScenario, step } from '../../harness/scenario/define.ts';

// SET ROLE changes current_user and SET SESSION AUTHORIZATION changes session_user too, for
// the rest of the session that runs them. pc_other is a NOLOGIN role without superuser.

export default [
  defineScenario({
    id: 'session-state/set-role-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: "A role switched to by one client must not become the next client's identity: its queries would run with another role's privileges.",
    docs: 'https://www.postgresql.org/docs/current/sql-set-role.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT session_user', { save: 'app' }),
      step('a', 'SET ROLE pc_other'),
      step('a', 'SELECT current_user', { expect: { rows: [['pc_other']] } }),
      step('b', 'SELECT current_user, session_user', { expect: { rows: [['$app', '$app']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-role-reset-by-other-client',
    category: 'session-state',
    pool: 'single',
    why: 'A client that dropped privileges with SET ROLE must keep them dropped even when another client runs RESET ROLE.',
    docs: 'https://www.postgresql.org/docs/current/sql-set-role.html',
    sessions: { a: {}, b: {} },
    steps: [step('a', 'SET ROLE pc_other'), step('b', 'RESET ROLE'), step('a', 'SELECT current_user', { expect: { rows: [['pc_other']] } })],
  }),
  defineScenario({
    id: 'session-state/set-session-authorization-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: 'SET SESSION AUTHORIZATION by one client must not change who the next client is (session_user, and the identity its driver was told).',
    docs: 'https://www.postgresql.org/docs/current/sql-set-session-authorization.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('b', 'SELECT session_user', { save: 'app' }),
      step('a', 'SET SESSION AUTHORIZATION pc_other', { expect: { parameterStatus: { session_authorization: 'pc_other' } } }),
      step('a', 'SELECT session_user, current_user', { expect: { rows: [['pc_other', 'pc_other']] } }),
      step('b', 'SELECT session_user, current_user', { expect: { rows: [['$app', '$app']], parameterStatus: { session_authorization: '$app' } } }),
    ],
  }),
];
