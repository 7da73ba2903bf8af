// Authentication through the pooler: the methods PostgreSQL offers, and a refused login.
// https://www.postgresql.org/docs/current/auth-password.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

const PASSWORD = 'https://www.postgresql.org/docs/current/auth-password.html';

export default [
  defineScenario({
    id: 'auth-transport/scram-login',
    category: 'auth-transport',
    pool: 'wide',
    why: "SCRAM-SHA-256 is PostgreSQL's default password method; a pooler must complete it and log the client in as itself.",
    docs: PASSWORD,
    sessions: { a: {} },
    steps: [step('a', 'SELECT current_user, session_user', { expect: { rows: [['poolcheck', 'poolcheck']] } })],
  }),
  defineScenario({
    id: 'auth-transport/md5-login',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Roles whose passwords are stored as md5 still exist after upgrades; a pooler must log them in with md5 as the server would.',
    docs: PASSWORD,
    sessions: { a: { user: 'md5' } },
    steps: [step('a', 'SELECT current_user', { expect: { rows: [['pc_md5']] } })],
  }),
  defineScenario({
    id: 'auth-transport/trust-login',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Roles trusted by pg_hba.conf log in without a password; a pooler must not demand one.',
    docs: 'https://www.postgresql.org/docs/current/auth-trust.html',
    sessions: { a: { user: 'trust' } },
    steps: [step('a', 'SELECT current_user', { expect: { rows: [['pc_trust']] } })],
  }),
  defineScenario({
    id: 'auth-transport/wrong-password-refused',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A wrong password must be refused with 28P01 (invalid_password), which drivers and alerting key on.',
    docs: 'https://www.postgresql.org/docs/current/errcodes-appendix.html',
    needs: ['loginErrorCode'],
    sessions: { a: { password: 'wrong' } },
    steps: [step('a', 'SELECT 1', { expect: { error: '28P01' }, label: 'log in with a wrong password' })],
  }),
];
