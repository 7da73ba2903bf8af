// A role's logins after what happened to it before: its login taken away and given back, its
// pooled server connections ended, a refused login just before. PostgreSQL decides each login
// afresh, against the role as it is now, and a refusal leaves nothing behind that the next login
// could meet. A pooler that caches what it learnt at one login (a secret, "this role may not log
// in", a server connection that has since died) answers the next one from that.
// https://www.postgresql.org/docs/current/sql-alterrole.html
// https://www.postgresql.org/docs/current/client-authentication-problems.html
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const ALTER_ROLE = 'https://www.postgresql.org/docs/current/sql-alterrole.html';
const PROBLEMS = 'https://www.postgresql.org/docs/current/client-authentication-problems.html';

/** The role's server connections, pooled or not, are ended, and gone before the next step. */
const endRoleBackends: StepSpec[] = [
  observe("SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity WHERE usename = '{{r}}'", { expect: { rows: [['t']] } }),
  {
    session: 'observer',
    waitFor: { sql: "SELECT count(*) FROM pg_stat_activity WHERE usename = '{{r}}'", rows: [['0']] },
    timeoutMs: EVENTUALLY_MS,
  },
];

/** w logs in as the role and leaves its server connection to the pool. */
const leavesAServer: StepSpec[] = [
  step('w', "SELECT current_user = '{{r}}'", { label: 'w logs in as the role and leaves a server connection behind', expect: { rows: [['t']] } }),
  { session: 'w', disconnect: 'terminate' },
];

/** A later client of the role logs in and is who it says. */
const logsIn = (session: string, label: string): StepSpec => step(session, "SELECT current_user = '{{r}}'", { label, expect: { rows: [['t']] } });

/** A scenario of the role r on the single pool: w leaves a server behind, b and c log in after. */
const threeLoginsOfTheRole = (id: string, why: string) =>
  ({
    id,
    category: 'auth-transport',
    pool: 'single',
    why,
    docs: ALTER_ROLE,
    needs: ['loginErrorCode'],
    roles: { r: {} },
    sessions: { w: { role: 'r' }, b: { role: 'r' }, c: { role: 'r' } },
  }) as const;

/** b is refused (`refused`) after `takeAway`, and c logs in at once after `giveBack`, w having left a server behind. */
const refusedUntilRestored = (o: { id: string; why: string; takeAway: string; refused: string; b: string; giveBack: string; c: string }) =>
  defineScenario({
    ...threeLoginsOfTheRole(o.id, o.why),
    steps: [
      ...leavesAServer,
      observe(o.takeAway),
      { session: 'b', connect: true, label: o.b, expect: { error: o.refused } },
      observe(o.giveBack),
      logsIn('c', o.c),
    ],
  });

export default [
  defineScenario({
    ...threeLoginsOfTheRole(
      'auth-transport/role-nologin-refused-again-after-pooled-server-ended',
      'A role switched to NOLOGIN whose sessions an operator then ended must be refused (28000) at every later login: not let in on a pooled connection, and not told "terminating connection" by a dead server the pool still held.',
    ),
    steps: [
      ...leavesAServer,
      observe('ALTER ROLE {{r}} NOLOGIN'),
      // What an operator does next to lock the role out: end what it still has.
      ...endRoleBackends,
      { session: 'b', connect: true, label: 'b logs in as the role', expect: { error: '28000' } },
      { session: 'c', connect: true, label: 'c logs in as the role: refused the same way again', expect: { error: '28000' } },
    ],
  }),
  refusedUntilRestored({
    id: 'auth-transport/role-valid-until-restored-at-next-login',
    why: 'A role whose VALID UNTIL is moved into the past is refused (28P01), and once it is set to infinity again it must log in at once: a pooler that remembers the refusal, or the expired state, locks the renewed account out.',
    takeAway: "ALTER ROLE {{r}} VALID UNTIL '1999-01-01'",
    refused: '28P01',
    b: 'b logs in after the password expired',
    giveBack: "ALTER ROLE {{r}} VALID UNTIL 'infinity'",
    c: 'c logs in once the password is valid again',
  }),
  refusedUntilRestored({
    id: 'auth-transport/role-login-restored-after-nologin',
    why: 'A role given NOLOGIN is refused (28000); given LOGIN back it must log in at its next attempt, not stay locked out by what a pooler remembered of the refusal.',
    takeAway: 'ALTER ROLE {{r}} NOLOGIN',
    refused: '28000',
    b: 'b logs in while the role may not',
    giveBack: 'ALTER ROLE {{r}} LOGIN',
    c: 'c logs in once the role may again',
  }),
  defineScenario({
    id: 'auth-transport/role-created-without-login-refused',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A role created without LOGIN (a group role that owns objects) must not log in (28000), whatever password it has.',
    docs: 'https://www.postgresql.org/docs/current/sql-createrole.html',
    needs: ['loginErrorCode'],
    roles: { r: { login: false } },
    sessions: { a: { role: 'r' } },
    steps: [{ session: 'a', connect: true, label: 'a logs in as a role without LOGIN', expect: { error: '28000' } }],
  }),
  defineScenario({
    id: 'auth-transport/role-logs-in-after-its-pooled-servers-ended',
    category: 'auth-transport',
    pool: 'single',
    why: "A role whose server connections were all ended (a server restart, an operator's pg_terminate_backend) must log in again as before: a pooler that logs in to the server with what it kept from the first login must still be able to open a new one.",
    docs: 'https://www.postgresql.org/docs/current/sasl-authentication.html',
    roles: { r: {} },
    sessions: { w: { role: 'r' }, b: { role: 'r' }, c: { role: 'r' } },
    steps: [
      ...leavesAServer,
      ...endRoleBackends,
      logsIn('b', 'b logs in as the role after its servers ended'),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      { session: 'b', disconnect: 'terminate' },
      logsIn('c', 'c logs in as the role again'),
    ],
  }),
  defineScenario({
    id: 'auth-transport/login-after-wrong-password-works',
    category: 'auth-transport',
    pool: 'single',
    why: 'A mistyped password is refused (28P01), and the retry with the right one must log in: a refused login must not leave the pooler, or the server connection it used to check it, broken for the next.',
    docs: PROBLEMS,
    needs: ['loginErrorCode'],
    roles: { r: {} },
    sessions: { a: { role: 'r', password: 'wrong' }, b: { role: 'r' } },
    steps: [
      { session: 'a', connect: true, label: 'a logs in with a wrong password', expect: { error: '28P01' } },
      logsIn('b', 'b logs in with the right password'),
    ],
  }),
  defineScenario({
    id: 'auth-transport/login-after-unknown-database-works',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A login to a database that does not exist is refused (3D000), and the next login to one that does must work, not meet a server connection the failed login left broken.',
    docs: PROBLEMS,
    needs: ['loginErrorCode'],
    databases: { nosuch: { absent: true } },
    sessions: { a: { database: 'nosuch' }, b: {} },
    steps: [
      { session: 'a', connect: true, label: 'a logs in to a database that does not exist', expect: { error: '3D000' } },
      step('b', 'SELECT current_database() IS NOT NULL', { label: 'b logs in to the lane database', expect: { rows: [['t']] } }),
    ],
  }),
];
