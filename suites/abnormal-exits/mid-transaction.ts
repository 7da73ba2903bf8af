// A backend whose client goes away, with Terminate or by dropping the socket, rolls back the
// open transaction, releases its locks and exits. Nothing of that transaction reaches whoever
// connects next.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';
import type { ScenarioSpec } from '../../harness/scenario/model.ts';

const TERMINATION = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION';
// Any backend of this database (the observer aside) still inside a transaction.
const OPEN_TRANSACTIONS =
  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'";

const midTransaction = (how: 'abrupt' | 'terminate', id: string, why: string): ScenarioSpec =>
  defineScenario({
    id,
    category: 'abnormal-exits',
    pool: 'single',
    why,
    docs: TERMINATION,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'INSERT INTO {{t}} VALUES (1)'),
      step('a', 'SELECT txid_current()', { save: 'axid' }),
      { session: 'a', disconnect: how, label: how === 'abrupt' ? 'a drops its socket mid-transaction' : 'a sends Terminate mid-transaction' },
      // The backend's exit is asynchronous to the client's close.
      { session: 'observer', waitFor: { sql: OPEN_TRANSACTIONS, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('b', 'SELECT txid_current_if_assigned()', { label: 'b has no transaction open', expect: { rows: [[null]] } }),
      step('b', 'SAVEPOINT {{sp}}', { label: 'SAVEPOINT: 25P01 outside a transaction block', expect: { error: '25P01' } }),
      step('b', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('b', 'INSERT INTO {{t}} VALUES (2)'),
      observe("SELECT coalesce(string_agg(x::text, ','), '') FROM {{t}}", { label: "only b's row is committed", expect: { rows: [['2']] } }),
    ],
  });

export default [
  midTransaction(
    'abrupt',
    'abnormal-exits/abrupt-close-mid-transaction-rolls-back',
    'A client that crashes inside a transaction must leave nothing behind: its rows rolled back and no open transaction for the next client to run in.',
  ),
  midTransaction(
    'terminate',
    'abnormal-exits/terminate-mid-transaction-rolls-back',
    'A client that sends Terminate inside a transaction must have it rolled back; the next client must start outside any transaction.',
  ),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-in-failed-transaction',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A client that crashes while its transaction is in the failed state must not pass 25P02 errors on to the next client.',
    docs: TERMINATION,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT 1/0', { expect: { error: '22012' } }),
      { session: 'a', disconnect: 'abrupt' },
      { session: 'observer', waitFor: { sql: OPEN_TRANSACTIONS, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('b', 'SAVEPOINT {{sp}}', { expect: { error: '25P01' } }),
    ],
  }),
  defineScenario({
    id: 'abnormal-exits/abrupt-close-releases-row-locks',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'Rows a crashed client had locked FOR UPDATE must be free again once its connection is gone, or every writer of those rows stalls.',
    docs: TERMINATION,
    setup: ['CREATE TABLE {{t}} (x int)', 'INSERT INTO {{t}} VALUES (1)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'SELECT x FROM {{t}} FOR UPDATE', { expect: { rows: [['1']] } }),
      { session: 'a', disconnect: 'abrupt' },
      {
        session: 'observer',
        waitFor: { sql: "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '{{t}}'", rows: [['0']] },
        timeoutMs: EVENTUALLY_MS,
      },
      step('b', 'SELECT x FROM {{t}} FOR UPDATE NOWAIT', { expect: { rows: [['1']] } }),
    ],
  }),
];
