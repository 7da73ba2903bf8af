// A setting given in the startup options is that session's alone: it ends with the session, and
// the next client to log in starts from the defaults. A pooler that applies a client's options to
// a server connection and hands that connection on without a reset gives the next client them.
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/startup-options-not-inherited-by-next-client',
    category: 'auth-transport',
    pool: 'single',
    why: "options=-c statement_timeout=... in one client's connection string must not set the next client's statement_timeout once the first has closed.",
    docs: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS',
    sessions: { a: { startupParams: { options: '-c statement_timeout=4242' } }, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { expect: { rows: [['4242ms']] } }),
      { session: 'a', disconnect: 'terminate' },
      step('b', 'SHOW statement_timeout', { expect: { notEquals: '4242ms' } }),
    ],
  }),
];
