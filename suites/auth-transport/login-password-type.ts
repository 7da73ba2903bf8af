// Which stored password a method can check: scram-sha-256 in pg_hba.conf needs a SCRAM secret,
// so a role whose password is still stored as md5 (an upgraded cluster) cannot log in with it,
// right password or not, until the password is set again. A pooler that checks the client
// itself must refuse the same role, not let it in by some other exchange.
// https://www.postgresql.org/docs/current/auth-password.html
import { defineScenario } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/login-md5-stored-role-refused-by-scram',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Where pg_hba.conf asks for scram-sha-256, a role whose password is stored as md5 is refused (28P01) even with the right password; the operator must see that refusal to know the password needs resetting.',
    docs: 'https://www.postgresql.org/docs/current/auth-password.html',
    needs: ['loginErrorCode'],
    roles: { r: { password: 'pc-md5-stored-1' } },
    // An md5 hash given as the password is stored as it is (from 18 with a deprecation WARNING).
    setup: ["DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', '{{r}}', 'md5' || md5('pc-md5-stored-1' || '{{r}}')); END $$"],
    sessions: { a: { role: 'r' } },
    steps: [{ session: 'a', connect: true, expect: { error: '28P01' } }],
  }),
];
