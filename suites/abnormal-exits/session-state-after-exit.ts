// Everything a session set up for itself ends with it: SQL prepared statements, SET and SET
// ROLE, temporary tables, cursors, LISTEN registrations and session advisory locks. A client
// that drops its socket without Terminate ends its session like one that says goodbye.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const TERMINATION = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION';
const KEY = "hashtext('{{k}}')";
const HELD = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND objid::bigint = (${KEY}::bigint & 4294967295)`;
const TEMP_COUNT = "SELECT count(*) FROM pg_class WHERE relname = '{{t}}' AND relpersistence = 't'";

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
      observe(HELD, { expect: { rows: [['1']] } }),
      { session: 'a', disconnect: 'abrupt' },
      { session: 'observer', waitFor: { sql: HELD, rows: [['0']] }, timeoutMs: 500 },
      step('b', `SELECT pg_try_advisory_lock(${KEY})`, { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-drops-sql-prepared-statement',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A statement PREPAREd by a client that crashed must be gone: the next client\'s EXECUTE of that name must fail (26000), not run the other client\'s query.',
    docs: 'https://www.postgresql.org/docs/current/sql-prepare.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "PREPARE {{p}} AS SELECT 'from-a'"),
      step('a', 'EXECUTE {{p}}', { expect: { rows: [['from-a']] } }),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'EXECUTE {{p}}', { expect: { error: '26000' } }),
      step('b', "PREPARE {{p}} AS SELECT 'from-b'", { label: 'b can prepare the same name' }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-after-set-role',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A client that crashed after SET ROLE must not hand its role to the next client, whose queries would run with the wrong privileges.',
    docs: 'https://www.postgresql.org/docs/current/sql-set-role.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT session_user', { save: 'app' }),
      step('a', 'SET ROLE pc_other'),
      step('a', 'SELECT current_user', { expect: { rows: [['pc_other']] } }),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'SELECT current_user, session_user', { expect: { rows: [['$app', '$app']] } }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-after-set',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A setting made by a client that crashed (a short statement_timeout) must not apply to the next client\'s queries.',
    docs: 'https://www.postgresql.org/docs/current/sql-set.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout = '4321s'"),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-drops-temp-table',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A crashed client\'s temporary table must be dropped with its session: the next client must neither read its rows nor collide with its name.',
    docs: 'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (v text)'),
      step('a', "INSERT INTO {{t}} VALUES ('from-a')"),
      { session: 'a', disconnect: 'abrupt' },
      { session: 'observer', waitFor: { sql: TEMP_COUNT, rows: [['0']] }, timeoutMs: 500 },
      step('b', 'SELECT v FROM {{t}}', { expect: { error: '42P01' } }),
      step('b', 'CREATE TEMP TABLE {{t}} (v text)'),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-closes-holdable-cursor',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A WITH HOLD cursor of a crashed client must be closed with its session; the next client must not FETCH its rows (34000).',
    docs: 'https://www.postgresql.org/docs/current/sql-declare.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "DECLARE {{c}} CURSOR WITH HOLD FOR SELECT 'from-a'"),
      { session: 'a', disconnect: 'abrupt' },
      step('b', 'FETCH 1 FROM {{c}}', { expect: { error: '34000' } }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-ends-listen',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A crashed client\'s LISTEN must end with its session; the next client must not be registered for, nor receive, its notifications.',
    docs: 'https://www.postgresql.org/docs/current/sql-listen.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'LISTEN {{ch}}'),
      { session: 'a', disconnect: 'abrupt' },
      step('b', "SELECT count(*) FROM pg_listening_channels() c WHERE c = '{{ch}}'", { expect: { rows: [['0']] } }),
      step('b', "NOTIFY {{ch}}, 'for-a'"),
      // A listening session gets its own notification before ReadyForQuery: it would be here already.
      { session: 'b', waitNotification: '{{ch}}', timeoutMs: 200, expect: { notification: null } },
    ],
  }),
];
