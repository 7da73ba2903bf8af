import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

// A session-level advisory lock is held by the session that took it until it unlocks or ends;
// another session cannot take it meanwhile, nor release it.
const DOCS = 'https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS';
const TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('{{lock}}'))";
// A bigint key shows in pg_locks as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
const HELD =
  "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND objid::bigint = (hashtext('{{lock}}')::bigint & 4294967295)";

export default [
  defineScenario({
    id: 'session-state/advisory-lock-held-against-other-client',
    category: 'session-state',
    pool: 'single',
    why: 'An advisory lock held by one client must keep other clients out; if they get it too, the mutual exclusion it guards is gone.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', TRY_LOCK, { expect: { rows: [['t']] } }),
      observe(HELD, { expect: { rows: [['1']] } }),
      step('b', TRY_LOCK, { expect: { rows: [['f']] } }),
      observe(HELD, { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/advisory-lock-unlock-by-other-client',
    category: 'session-state',
    pool: 'single',
    why: 'A client must not be able to release an advisory lock another client holds; that would let a third client into the critical section.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', TRY_LOCK, { expect: { rows: [['t']] } }),
      step('b', "SELECT pg_advisory_unlock(hashtext('{{lock}}'))", { expect: { rows: [['f']] } }),
      observe(HELD, { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/advisory-lock-released-at-disconnect',
    category: 'session-state',
    pool: 'single',
    why: 'A session advisory lock must be released when its client disconnects; otherwise it stays held and every other client waits forever.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', TRY_LOCK, { expect: { rows: [['t']] } }),
      // Not racing a pooler's reset after the transaction (see abnormal-exits/advisory-lock.ts).
      step('a', 'SELECT 1'),
      observe(HELD, { expect: { rows: [['1']] } }),
      { session: 'a', disconnect: 'terminate' },
      { session: 'observer', waitFor: { sql: HELD, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      step('b', TRY_LOCK, { expect: { rows: [['t']] } }),
    ],
  }),
];
