// What a role brings to its session: its own defaults (ALTER ROLE ... SET), its own privileges on
// tables, and only the settings it may change. PostgreSQL runs every statement of a session as
// the role that logged in; a pooler must run a client's statements on a server connection logged
// in as that client's role, never as another role's or as a more privileged one of its own.
// https://www.postgresql.org/docs/current/ddl-priv.html
// https://www.postgresql.org/docs/current/sql-alterrole.html
import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const PRIVILEGES = 'https://www.postgresql.org/docs/current/ddl-priv.html';

/** A statement the session's role may run (its rows or tag are checked) or one it may not (42501). */
const allowed = (session: string, sql: string, rows?: string[][]): StepSpec => (rows ? step(session, sql, { expect: { rows } }) : step(session, sql));
const refused = (session: string, sql: string): StepSpec =>
  step(session, sql, { label: `${session}'s role lacks the privilege`, expect: { error: '42501' } });

export default [
  defineScenario({
    id: 'auth-transport/role-default-setting-not-seen-by-other-role',
    category: 'auth-transport',
    // Not the single pool: a pooler that keeps a pool per role never puts the two on one server
    // connection, and one that shares servers between roles does so in any pool.
    pool: 'wide',
    why: "A default set for one role (ALTER ROLE ... SET) applies to that role's sessions only: another role's session on the same pool must start with the server's default, not inherit the first role's from a shared server connection.",
    docs: 'https://www.postgresql.org/docs/current/sql-alterrole.html',
    roles: { r: {} },
    // Set before any login, so no server connection of the role predates it.
    setup: ['ALTER ROLE {{r}} SET debug_pretty_print = off'],
    sessions: { a: { role: 'r' }, b: {} },
    steps: [
      step('a', 'SHOW debug_pretty_print', { label: "the role's own default", expect: { rows: [['off']] } }),
      { session: 'a', disconnect: 'terminate' },
      step('b', 'SHOW debug_pretty_print', { label: "another role's session has the server's default", expect: { rows: [['on']] } }),
      step('b', "SELECT current_user <> '{{r}}'", { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/role-refused-superuser-setting',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A role that is not a superuser must be refused (42501) when it SETs a superuser-only parameter (track_counts), not have it applied by a pooler whose server connection logged in as someone more privileged.',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-statistics.html#GUC-TRACK-COUNTS',
    roles: { r: {} },
    sessions: { a: { role: 'r' } },
    steps: [
      step('a', 'SET track_counts = off', { label: 'an ordinary role sets a superuser-only parameter', expect: { error: '42501' } }),
      step('a', 'SHOW track_counts', { expect: { rows: [['on']] } }),
      step('a', 'SET debug_pretty_print = off', { label: 'a parameter any role may set' }),
      step('a', 'SHOW debug_pretty_print', { expect: { rows: [['off']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/role-privileges-each-their-own',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Roles with different table privileges working side by side through one pooler must each be allowed exactly what their grants allow: a statement run on a server connection of another role reads or changes data its client may not, or fails where it should work.',
    docs: PRIVILEGES,
    roles: { r1: {}, r2: {}, r3: {} },
    setup: [
      'CREATE TABLE {{t1}} (id int, name text)',
      'CREATE TABLE {{t2}} (id int, name text)',
      "INSERT INTO {{t1}} SELECT g, 'abc' FROM generate_series(1, 9) g",
      "INSERT INTO {{t2}} SELECT g, 'def' FROM generate_series(1, 9) g",
      'GRANT ALL ON {{t1}} TO {{r1}}',
      'GRANT SELECT, INSERT ON {{t1}} TO {{r2}}',
      'GRANT INSERT, DELETE ON {{t2}} TO {{r3}}',
    ],
    teardown: ['DROP TABLE IF EXISTS {{t1}}', 'DROP TABLE IF EXISTS {{t2}}'],
    sessions: { a: { role: 'r1' }, b: { role: 'r2' }, c: { role: 'r3' } },
    // The three interleave, each open the whole time, so a pooler sharing servers between them
    // (transaction pooling) has every chance to run one's statement as another.
    steps: [
      allowed('a', 'SELECT count(*) FROM {{t1}}', [['9']]),
      allowed('b', 'SELECT count(*) FROM {{t1}}', [['9']]),
      allowed('c', "INSERT INTO {{t2}} VALUES (10, 'ghi')"),
      refused('b', 'DELETE FROM {{t1}}'),
      refused('a', 'SELECT count(*) FROM {{t2}}'),
      allowed('b', "INSERT INTO {{t1}} VALUES (10, 'rohan')"),
      refused('c', 'SELECT count(*) FROM {{t2}}'),
      refused('c', 'SELECT count(*) FROM {{t1}}'),
      allowed('a', "UPDATE {{t1}} SET name = 'manav' WHERE id = 10"),
      refused('b', "UPDATE {{t1}} SET name = 'x'"),
      // Without a WHERE: a WHERE reads the column, which needs SELECT too.
      allowed('c', 'DELETE FROM {{t2}}'),
      refused('a', 'DELETE FROM {{t2}}'),
      allowed('a', 'SELECT name FROM {{t1}} WHERE id = 10', [['manav']]),
      step('b', "SELECT current_user = '{{r2}}'", { expect: { rows: [['t']] } }),
      step('c', "SELECT current_user = '{{r3}}'", { expect: { rows: [['t']] } }),
    ],
  }),
];
