// A client that gives up in the middle of its login (an empty answer at a password prompt, a
// killed process) while other clients are running queries: PostgreSQL ends only that half-made
// session. A pooler that handles the dropped socket badly mid-authentication (a crash, a
// confused authenticating connection) takes the other clients' sessions or logins with it.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/login-abandoned-while-other-client-queries',
    category: 'auth-transport',
    pool: 'wide',
    why: "A client that drops its socket when asked for its password must not disturb another client's query in flight, its session, or the next login.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
    sessions: { a: {}, b: {}, c: {} },
    steps: [
      step('a', 'SELECT 1'),
      step('a', "SELECT 'still here' FROM pg_sleep(0.5)", { background: 'q', label: 'a runs a query' }),
      { session: 'b', abandonLogin: true, label: 'b gives up when asked for its password' },
      { session: 'a', await: 'q', expect: { rows: [['still here']] } },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
      step('c', 'SELECT 3', { label: 'the next login works', expect: { rows: [['3']] } }),
    ],
  }),
];
