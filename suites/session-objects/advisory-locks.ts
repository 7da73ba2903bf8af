// A transaction-level advisory lock is released at the end of its transaction (commit or
// rollback); a session-level one is held across transactions, even one that rolls back, until
// it is unlocked or the session ends.
// https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
import { releaseObserverLock, waitOnObserverLock } from '../../harness/scenario/blocking.ts';
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS';
const KEY = "hashtext('{{k}}')";
// A bigint key shows in pg_locks as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
const HELD = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND objid::bigint = (${KEY}::bigint & 4294967295)`;
const HELD_BY = `${HELD} AND pid = {{$apid}}`;

const busy = (session: string) => waitOnObserverLock(session, 'busy');
const release = (session: string) => releaseObserverLock(session, 'busy');

export default [
  defineScenario({
    id: 'session-objects/xact-advisory-lock-released-at-commit',
    category: 'session-objects',
    pool: 'single',
    why: "A transaction-level advisory lock must be held by the client's backend until its COMMIT and released then, without an explicit unlock.",
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('a', `SELECT pg_try_advisory_xact_lock(${KEY})`, { expect: { rows: [['t']] } }),
      observe(HELD_BY, { expect: { rows: [['1']] } }),
      step('a', 'SELECT 1'),
      observe(HELD_BY, { expect: { rows: [['1']] } }),
      step('a', 'COMMIT'),
      observe(HELD, { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/xact-advisory-lock-excludes-other-client-until-commit',
    category: 'session-objects',
    pool: 'wide',
    why: "While one client's transaction holds an advisory lock no other client may take it; after COMMIT the next one must get it.",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', `SELECT pg_try_advisory_xact_lock(${KEY})`, { expect: { rows: [['t']] } }),
      step('b', `SELECT pg_try_advisory_xact_lock(${KEY})`, { expect: { rows: [['f']] } }),
      step('a', 'COMMIT'),
      step('b', `SELECT pg_try_advisory_xact_lock(${KEY})`, { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/session-advisory-lock-kept-across-transactions',
    category: 'session-objects',
    pool: 'single',
    why: "A session-level advisory lock must stay with the client's backend through its later transactions until the client unlocks it.",
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('a', `SELECT pg_try_advisory_lock(${KEY})`, { expect: { rows: [['t']] } }),
      step('a', 'BEGIN'),
      step('a', 'SELECT 1'),
      step('a', 'COMMIT'),
      observe(HELD_BY, { expect: { rows: [['1']] } }),
      step('a', `SELECT pg_advisory_unlock(${KEY})`, { expect: { rows: [['t']] } }),
      observe(HELD, { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/session-advisory-lock-survives-rollback',
    category: 'session-objects',
    pool: 'single',
    why: 'A session-level advisory lock taken inside a transaction that rolls back is still held (documented); a client that assumes otherwise leaks the lock.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('a', `SELECT pg_try_advisory_lock(${KEY})`, { expect: { rows: [['t']] } }),
      step('a', 'ROLLBACK'),
      observe(HELD_BY, { expect: { rows: [['1']] } }),
      step('a', `SELECT pg_advisory_unlock(${KEY})`, { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/session-advisory-lock-unlocked-while-other-client-works',
    category: 'session-objects',
    pool: 'wide',
    why: 'A client must be able to release its own session advisory lock whichever other clients are busy; if its unlock lands elsewhere the lock stays held forever.',
    docs: DOCS,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', `SELECT pg_try_advisory_lock(${KEY})`, { expect: { rows: [['t']] } }),
      ...busy('b'),
      step('a', `SELECT pg_advisory_unlock(${KEY})`, { expect: { rows: [['t']] } }),
      observe(HELD, { expect: { rows: [['0']] } }),
      ...release('b'),
    ],
  }),
];
