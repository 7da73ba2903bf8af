// A cursor WITHOUT HOLD lives inside its transaction and closes at its end; a cursor WITH HOLD
// (which may be declared outside a transaction block) survives COMMIT and lasts until CLOSE or
// the end of the session. Either way it belongs to the session that declared it.
// https://www.postgresql.org/docs/current/sql-declare.html
import { releaseObserverLock, waitOnObserverLock } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/sql-declare.html';

// b is kept busy (waiting on an advisory lock the observer holds) on whatever server
// connection it got, so a's next statement cannot run where b is.
const busy = (session: string) => waitOnObserverLock(session, 'busy');
const release = (session: string) => releaseObserverLock(session, 'busy');

export default [
  defineScenario({
    id: 'session-objects/cursor-fetches-in-steps-inside-transaction',
    category: 'session-objects',
    pool: 'single',
    why: 'A client paging through a large result with DECLARE/FETCH must get each next batch from the same cursor until it closes it.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'DECLARE {{c}} CURSOR FOR SELECT g FROM generate_series(1, 5) g'),
      step('a', 'FETCH 2 FROM {{c}}', { expect: { rows: [['1'], ['2']] } }),
      step('a', 'FETCH 2 FROM {{c}}', { expect: { rows: [['3'], ['4']] } }),
      step('a', 'CLOSE {{c}}'),
      step('a', 'COMMIT'),
    ],
  }),
  defineScenario({
    id: 'session-objects/cursor-without-hold-closed-at-commit',
    category: 'session-objects',
    pool: 'single',
    why: 'A cursor declared without HOLD ends with its transaction: a FETCH after COMMIT fails with 34000, and one outside a transaction cannot be declared (25P01).',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'DECLARE {{c}} CURSOR FOR SELECT 1', { expect: { error: '25P01' } }),
      step('a', 'BEGIN'),
      step('a', 'DECLARE {{c}} CURSOR FOR SELECT g FROM generate_series(1, 3) g'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['1']] } }),
      step('a', 'COMMIT'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { error: '34000' } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/cursor-with-hold-survives-commit',
    category: 'session-objects',
    pool: 'single',
    why: 'A WITH HOLD cursor must survive COMMIT: a client fetching the next batch in a later transaction (or outside one) continues where it stopped.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'DECLARE {{c}} CURSOR WITH HOLD FOR SELECT g FROM generate_series(1, 4) g'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['1']] } }),
      step('a', 'COMMIT'),
      step('a', 'BEGIN'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['2']] } }),
      step('a', 'COMMIT'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['3']] } }),
      step('a', 'CLOSE {{c}}'),
    ],
  }),
  defineScenario({
    id: 'session-objects/cursor-with-hold-invisible-to-other-client',
    category: 'session-objects',
    pool: 'single',
    why: "Another client's WITH HOLD cursor must not exist for this client (34000); if it does, a FETCH reads rows another user selected.",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "DECLARE {{c}} CURSOR WITH HOLD FOR SELECT 'from-a'"),
      step('b', 'FETCH 1 FROM {{c}}', { expect: { error: '34000' } }),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['from-a']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/cursor-with-hold-same-name-in-two-clients',
    category: 'session-objects',
    pool: 'single',
    why: 'Two clients declaring a WITH HOLD cursor of the same name must each get their own; on a shared session the second fails with 42P03.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "DECLARE {{c}} CURSOR WITH HOLD FOR SELECT 'from-a'"),
      step('b', "DECLARE {{c}} CURSOR WITH HOLD FOR SELECT 'from-b'"),
      step('b', 'FETCH 1 FROM {{c}}', { expect: { rows: [['from-b']] } }),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['from-a']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/cursor-with-hold-kept-while-other-client-works',
    category: 'session-objects',
    pool: 'wide',
    why: "A client's WITH HOLD cursor must still be there for its next FETCH even while other clients are busy; it must not depend on getting the same server back.",
    docs: DOCS,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'DECLARE {{c}} CURSOR WITH HOLD FOR SELECT g FROM generate_series(1, 3) g'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['1']] } }),
      ...busy('b'),
      step('a', 'FETCH 1 FROM {{c}}', { expect: { rows: [['2']] } }),
      ...release('b'),
    ],
  }),
];
