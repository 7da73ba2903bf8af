// Between statements of an open transaction the backend is "idle in transaction" (or "idle in
// transaction (aborted)" after an error): pg_stat_activity shows it to every session, and the
// transaction keeps its backend, its xid and its locks until COMMIT or ROLLBACK.
// https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW
// After COMMIT the scenarios wait for "idle": a pooler may run its reset queries on the
// backend right after the transaction (Odyssey's smart discard), and it shows "active" meanwhile.
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW';
const STATE = 'SELECT state FROM pg_stat_activity WHERE pid = {{$apid}}';
const BECOMES_IDLE = { session: 'observer', waitFor: { sql: STATE, rows: [['idle']] }, timeoutMs: EVENTUALLY_MS } as const;

export default [
  defineScenario({
    id: 'transactions/idle-in-transaction-visible-to-other-client',
    category: 'transactions',
    pool: 'wide',
    why: 'Monitoring and idle-in-transaction alerts read pg_stat_activity; an open transaction must show as "idle in transaction" to other clients.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('b', STATE, { expect: { rows: [['idle in transaction']] } }),
      observe(STATE, { expect: { rows: [['idle in transaction']] } }),
      step('a', 'COMMIT'),
      BECOMES_IDLE,
    ],
  }),
  defineScenario({
    id: 'transactions/aborted-transaction-state-visible-to-other-client',
    category: 'transactions',
    pool: 'wide',
    why: 'A transaction that hit an error stays open until ROLLBACK and must show as "idle in transaction (aborted)", so it can be found and its locks accounted for.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      step('b', STATE, { expect: { rows: [['idle in transaction (aborted)']] } }),
      observe(STATE, { expect: { rows: [['idle in transaction (aborted)']] } }),
      step('a', 'ROLLBACK'),
      BECOMES_IDLE,
    ],
  }),
  defineScenario({
    id: 'transactions/open-transaction-keeps-its-server',
    category: 'transactions',
    pool: 'single',
    why: 'While a client idles inside a transaction its backend must keep that transaction (xid, uncommitted rows) for it alone; the next client runs only after COMMIT and sees the result.',
    docs: DOCS,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    // Ground truth from the observer only: on a one-server pool another client would wait.
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT pg_backend_pid()', { save: 'apid' }),
      step('a', 'SELECT txid_current()', { save: 'axid' }),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      // txid_current() is the xid with its epoch; a new cluster is in epoch 0, where they agree.
      observe('SELECT state, backend_xid::text FROM pg_stat_activity WHERE pid = {{$apid}}', {
        expect: { rows: [['idle in transaction', '$axid']] },
      }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'SELECT pg_backend_pid(), txid_current(), count(*) FROM {{t}}', { expect: { rows: [['$apid', '$axid', '1']] } }),
      step('a', 'COMMIT'),
      BECOMES_IDLE,
      step('b', 'SELECT count(*), txid_current_if_assigned() FROM {{t}}', { expect: { rows: [['1', null]] } }),
    ],
  }),
];
