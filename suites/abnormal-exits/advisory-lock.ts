// A session advisory lock is released when its session ends, however the client goes away.
// https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
// The client drops its socket without Terminate, as a crashed client would.
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

const KEY = "hashtext('{{k}}')";
const HELD = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND objid::bigint = (${KEY}::bigint & 4294967295)`;

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-releases-session-advisory-lock',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A session advisory lock held by a client that crashed must be released with its session; otherwise the job it guarded can never run again.',
    docs: 'https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', `SELECT pg_try_advisory_lock(${KEY})`, { expect: { rows: [['t']] } }),
      // A later statement first: a pooler that resets the server after each transaction has
      // then certainly done so, and the observer does not race it.
      step('a', 'SELECT 1'),
      observe(HELD, { expect: { rows: [['1']] } }),
      { session: 'a', disconnect: 'abrupt' },
      { session: 'observer', waitFor: { sql: HELD, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      step('b', `SELECT pg_try_advisory_lock(${KEY})`, { expect: { rows: [['t']] } }),
    ],
  }),
];
