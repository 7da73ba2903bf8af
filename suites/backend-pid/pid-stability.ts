// A session keeps one backend process for its whole life, so pg_backend_pid() never changes.
// https://www.postgresql.org/docs/current/functions-info.html
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

const SESSION_INFO = 'https://www.postgresql.org/docs/current/functions-info.html';

const lock = "hashtext('{{lk}}')";

export default [
  defineScenario({
    id: 'backend-pid/stable-within-transaction',
    category: 'backend-pid',
    pool: 'wide',
    why: 'All statements of one transaction must run in the same backend, or the transaction is not one transaction.',
    docs: SESSION_INFO,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'p1' }),
      step('b', 'SELECT pg_backend_pid()', { label: 'another client runs a statement meanwhile' }),
      step('a', 'SELECT pg_backend_pid()', { expect: { equals: '$p1' } }),
      step('a', 'COMMIT'),
    ],
  }),

  defineScenario({
    id: 'backend-pid/stable-across-transactions',
    category: 'backend-pid',
    pool: 'wide',
    why: "A client's next transaction must run in the same backend, or session state (temp tables, SET, prepared statements, locks) is not where it left it.",
    docs: SESSION_INFO,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'p1' }),
      // a's backend is idle before b asks for a server: a pooler that resets a released server
      // (Odyssey) then offers it to b as it would any idle one, not a fresh one depending on timing.
      { session: 'observer', waitFor: { sql: 'SELECT state FROM pg_stat_activity WHERE pid = {{$p1}}', rows: [['idle']] }, timeoutMs: EVENTUALLY_MS },
      // b is busy on whatever server connection it got while a comes back.
      observe(`SELECT pg_advisory_lock(${lock})`),
      step('b', `SELECT pg_advisory_xact_lock(${lock})`, { background: 'held', label: "b waits on the observer's advisory lock" }),
      {
        session: 'observer',
        waitFor: {
          sql: `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{{lk}}%' AND pid <> pg_backend_pid()`,
          rows: [['1']],
        },
      },
      step('a', 'SELECT pg_backend_pid()', { expect: { equals: '$p1' } }),
      observe(`SELECT pg_advisory_unlock(${lock})`, { expect: { rows: [['t']] } }),
      { session: 'b', await: 'held' },
    ],
  }),
];
