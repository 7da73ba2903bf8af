// A role changed while the pool still has its server connections: PostgreSQL decides every
// login afresh, against the role as it is now, while sessions already open go on. A pooler
// that lets the next login in on a pooled server connection, or checks it against a password
// it remembered, lets in a role that may no longer log in.
// https://www.postgresql.org/docs/current/sql-alterrole.html
// https://www.postgresql.org/docs/current/client-authentication-problems.html
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';
import type { ScenarioSpec, SessionSpec, StepSpec } from '../../harness/scenario/model.ts';

const ALTER_ROLE = 'https://www.postgresql.org/docs/current/sql-alterrole.html';

/**
 * w logs in as the role and leaves its server connection to the pool; the role changes; b's
 * login meets PostgreSQL's answer to the role as it is now. The single pool: a pooler has the
 * server w left (the role's own pool) when b comes.
 */
const atNextLogin = (
  id: string,
  why: string,
  change: string,
  then: StepSpec[],
  extra: Partial<ScenarioSpec> = {},
  session: SessionSpec = { role: 'r' },
): ScenarioSpec =>
  defineScenario({
    id,
    category: 'auth-transport',
    pool: 'single',
    why,
    docs: ALTER_ROLE,
    needs: ['loginErrorCode'],
    roles: { r: {} },
    ...extra,
    sessions: { w: session, b: session, ...extra.sessions },
    steps: [
      step('w', 'SELECT 1', { label: 'w logs in as the role and leaves a server connection behind' }),
      { session: 'w', disconnect: 'terminate' },
      observe(change),
      ...then,
    ],
  });

export default [
  atNextLogin(
    'auth-transport/role-nologin-refused-at-next-login',
    'A role switched to NOLOGIN (an offboarded service, a locked account) must be refused at its next login (28000), even while the pool holds its server connections.',
    'ALTER ROLE {{r}} NOLOGIN',
    [{ session: 'b', connect: true, expect: { error: '28000' } }],
  ),
  atNextLogin(
    'auth-transport/role-password-change-at-next-login',
    'After a password rotation the old password must be refused (28P01) and the new one accepted at once; a pooler that remembers the old one lets a leaked credential in, or locks the rotated application out.',
    "ALTER ROLE {{r}} PASSWORD 'rotated-password-2'",
    [
      { session: 'b', connect: true, label: 'b logs in with the old password', expect: { error: '28P01' } },
      step('c', "SELECT current_user = '{{r}}'", { label: 'c logs in with the new password', expect: { rows: [['t']] } }),
    ],
    { roles: { r: { password: 'first-password-1' } }, sessions: { c: { role: 'r', password: { text: 'rotated-password-2' } } } },
  ),
  atNextLogin(
    'auth-transport/role-wrong-password-refused-with-pooled-connection',
    'A wrong password must be refused (28P01) also when the pool holds a server connection of that role: a pooler that lets the next client onto it unchecked lets anyone in as the role.',
    'SELECT 1',
    [{ session: 'b', connect: true, label: 'b logs in with a wrong password', expect: { error: '28P01' } }],
    { sessions: { b: { role: 'r', password: 'wrong' } } },
  ),
  atNextLogin(
    'auth-transport/role-valid-until-past-refused-at-next-login',
    'A role whose password expired (VALID UNTIL in the past) must be refused at its next login (28P01) whatever the pool holds.',
    "ALTER ROLE {{r}} VALID UNTIL '2000-01-01'",
    [{ session: 'b', connect: true, expect: { error: '28P01' } }],
  ),
  atNextLogin(
    'auth-transport/role-revoke-connect-refused-at-next-login',
    "REVOKE CONNECT on a database must refuse the role's next login to it (42501), even where the pool holds a server connection of the role to that database.",
    'REVOKE CONNECT ON DATABASE {{d}} FROM {{r}}',
    [{ session: 'b', connect: true, expect: { error: '42501' } }],
    {
      pool: 'wide',
      databases: { d: {} },
      // Only the role may connect: PUBLIC's CONNECT would let it in after the REVOKE.
      setup: ['REVOKE CONNECT ON DATABASE {{d}} FROM PUBLIC', 'GRANT CONNECT ON DATABASE {{d}} TO {{r}}'],
    },
    { role: 'r', database: 'd', pool: 'wide' },
  ),
  atNextLogin(
    'auth-transport/role-dropped-refused-at-next-login',
    'A dropped role must not log in again (28P01, as for any unknown role), even on a server connection the pool opened for it before.',
    'DROP ROLE {{r}}',
    [{ session: 'b', connect: true, expect: { error: '28P01' } }],
  ),
  atNextLogin(
    'auth-transport/role-renamed-at-next-login',
    "After ALTER ROLE ... RENAME the old name must be refused (28P01) and the new one log in with the same SCRAM password, as the application's updated configuration expects.",
    'ALTER ROLE {{r}} RENAME TO {{renamed}}',
    [
      { session: 'b', connect: true, label: 'b logs in with the old name', expect: { error: '28P01' } },
      step('c', "SELECT current_user = '{{renamed}}'", { label: 'c logs in with the new name', expect: { rows: [['t']] } }),
    ],
    // A SCRAM password survives the rename (an md5 one would not: its salt is the name).
    { roles: { r: { password: 'kept-password-3' }, renamed: { absent: true, password: 'kept-password-3' } }, sessions: { c: { role: 'renamed' } } },
  ),

  defineScenario({
    id: 'auth-transport/role-nologin-open-session-keeps-working',
    category: 'auth-transport',
    pool: 'wide',
    why: 'NOLOGIN refuses new logins only: a session that is already open must keep working, also where a transaction pooler would need a new server login for it.',
    docs: ALTER_ROLE,
    roles: { r: {} },
    sessions: { o: { role: 'r' } },
    steps: [
      step('o', 'SELECT 1'),
      observe('ALTER ROLE {{r}} NOLOGIN'),
      step('o', 'SELECT 2', { expect: { rows: [['2']] } }),
      step('o', 'BEGIN'),
      step('o', "SELECT current_user = '{{r}}'", { expect: { rows: [['t']] } }),
      step('o', 'COMMIT'),
    ],
  }),
  defineScenario({
    id: 'auth-transport/role-renamed-open-session-sees-new-name',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A session open while its role is renamed keeps running, and current_user names the role as it is called now.',
    docs: ALTER_ROLE,
    roles: { r: {}, renamed: { absent: true } },
    sessions: { o: { role: 'r' } },
    steps: [
      step('o', 'SELECT 1'),
      observe('ALTER ROLE {{r}} RENAME TO {{renamed}}'),
      step('o', "SELECT current_user = '{{renamed}}', session_user = '{{renamed}}'", { expect: { rows: [['t', 't']] } }),
    ],
  }),
];
