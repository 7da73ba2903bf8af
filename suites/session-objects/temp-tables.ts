// A temporary table's ON COMMIT clause decides what a transaction's end does to it: DROP
// removes the table, DELETE ROWS empties it, PRESERVE ROWS (the default) keeps it as it is.
// In every case the table belongs to the session that created it.
// https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-ONCOMMIT
import { releaseObserverLock, waitOnObserverLock } from '../../harness/scenario/blocking.ts';
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-ONCOMMIT';
const TEMP_COUNT = "SELECT count(*) FROM pg_class WHERE relname = '{{t}}' AND relpersistence = 't'";

const busy = (session: string) => waitOnObserverLock(session, 'busy');
const release = (session: string) => releaseObserverLock(session, 'busy');

export default [
  defineScenario({
    id: 'session-objects/temp-table-on-commit-drop',
    category: 'session-objects',
    pool: 'single',
    why: 'A temp table ON COMMIT DROP must be usable throughout its transaction and gone after COMMIT, so the same transaction can run again.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT DROP'),
      step('a', 'INSERT INTO {{t}} VALUES (1), (2)'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['2']] } }),
      step('a', 'COMMIT'),
      observe(TEMP_COUNT, { expect: { rows: [['0']] } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { error: '42P01' } }),
      step('a', 'BEGIN'),
      step('a', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT DROP'),
      step('a', 'COMMIT'),
    ],
  }),
  defineScenario({
    id: 'session-objects/temp-table-on-commit-delete-rows',
    category: 'session-objects',
    pool: 'single',
    why: 'A temp table ON COMMIT DELETE ROWS must keep its rows within a transaction, lose them at COMMIT, and stay defined for the same client.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT DELETE ROWS'),
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1), (2)'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['2']] } }),
      step('a', 'COMMIT'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'INSERT INTO {{t}} VALUES (3)', { label: 'an INSERT outside a transaction block commits, and empties the table, at once' }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/temp-table-delete-rows-invisible-to-other-client',
    category: 'session-objects',
    pool: 'single',
    why: "Another client's ON COMMIT DELETE ROWS temp table must not exist for this client (42P01), nor collide with its own of the same name.",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT DELETE ROWS'),
      step('b', 'SELECT count(*) FROM {{t}}', { expect: { error: '42P01' } }),
      step('b', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT DELETE ROWS'),
    ],
  }),
  defineScenario({
    id: 'session-objects/temp-table-preserve-rows-kept-while-other-client-works',
    category: 'session-objects',
    pool: 'wide',
    why: "A client's temp table (ON COMMIT PRESERVE ROWS) and its rows must still be there in its next transaction, even while other clients are busy.",
    docs: DOCS,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT PRESERVE ROWS'),
      step('a', 'INSERT INTO {{t}} VALUES (1), (2)'),
      ...busy('b'),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['2']] } }),
      ...release('b'),
    ],
  }),
];
