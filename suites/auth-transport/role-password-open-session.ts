// A password change decides the next login only: a session that authenticated with the old
// password is open and stays so. A pooler that logs in to the server again with the password the
// client gave it (transaction pooling opening a new server connection, passthrough
// authentication) must not fail that session after the rotation.
// https://www.postgresql.org/docs/current/sql-alterrole.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/role-password-change-open-session-keeps-working',
    category: 'auth-transport',
    pool: 'single',
    why: 'After ALTER ROLE ... PASSWORD, a session opened with the old password keeps working while a new login uses the new one; a pooler that re-authenticates the open session with the old password breaks the application in the middle of a rotation.',
    docs: 'https://www.postgresql.org/docs/current/sql-alterrole.html',
    roles: { r: { password: 'first-password-1' } },
    sessions: { o: { role: 'r' }, c: { role: 'r', password: { text: 'rotated-password-2' } } },
    steps: [
      step('o', 'SELECT 1'),
      observe("ALTER ROLE {{r}} PASSWORD 'rotated-password-2'"),
      step('c', "SELECT current_user = '{{r}}'", { label: 'c logs in with the new password', expect: { rows: [['t']] } }),
      step('o', 'SELECT 2', { label: 'the session opened before the change goes on', expect: { rows: [['2']] } }),
      step('o', 'BEGIN'),
      step('o', "SELECT current_user = '{{r}}'", { expect: { rows: [['t']] } }),
      step('o', 'COMMIT'),
    ],
  }),
];
