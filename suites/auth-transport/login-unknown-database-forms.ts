// A login to a database that does not exist by a role of another password method than
// login-errors.ts tries: PostgreSQL authenticates first and looks at the database after, so the
// right md5 password gets 3D000 as the right SCRAM one does. A pooler that checks md5 itself
// must pass on the database's refusal the same way.
// https://www.postgresql.org/docs/current/client-authentication-problems.html
import { defineScenario } from '../../harness/scenario/define.ts';

const PROBLEMS = 'https://www.postgresql.org/docs/current/client-authentication-problems.html';

export default [
  defineScenario({
    id: 'auth-transport/login-unknown-database-md5-role',
    category: 'auth-transport',
    pool: 'wide',
    why: 'An md5 role with the right password asking for a database that does not exist must get 3D000, as a SCRAM role does: tools create the database on it.',
    docs: PROBLEMS,
    needs: ['loginErrorCode'],
    databases: { nosuch: { absent: true } },
    sessions: { a: { user: 'md5', database: 'nosuch' } },
    steps: [{ session: 'a', connect: true, expect: { error: '3D000' } }],
  }),
];
