// Each session has its own backend process for its whole life: two sessions open at the same
// time never share a pid, and the pid a driver got in BackendKeyData does not change.
// https://www.postgresql.org/docs/current/functions-info.html
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'backend-pid/concurrent-clients-distinct-pg-backend-pid',
    category: 'backend-pid',
    pool: 'wide',
    why: 'Two clients connected at once must see different pg_backend_pid() values; code that keys locks, queues or audit rows on it mixes the two clients up otherwise.',
    docs: 'https://www.postgresql.org/docs/current/functions-info.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'pa' }),
      // As in pid-stability.ts: a's backend is idle (a pooler's reset done) before b asks for one.
      { session: 'observer', waitFor: { sql: 'SELECT state FROM pg_stat_activity WHERE pid = {{$pa}}', rows: [['idle']] }, timeoutMs: EVENTUALLY_MS },
      step('b', 'SELECT pg_backend_pid()', { expect: { notEquals: '$pa' } }),
    ],
  }),
  defineScenario({
    id: 'backend-pid/key-data-pid-stable-across-statements',
    category: 'backend-pid',
    pool: 'single',
    why: "The pid a driver holds must stay the same for the life of the connection, across errors and other clients' statements; a change means the driver silently reconnected and lost the session.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { savePid: 'k1' }),
      step('b', 'SELECT 2', { expect: { rows: [['2']] } }),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('a', 'SELECT 3', { savePid: 'k2', expect: { rows: [['3']] } }),
      observe("SELECT '{{$k2}}'", { label: "a's pid after the error equals its first one", expect: { equals: '$k1' } }),
    ],
  }),
];
