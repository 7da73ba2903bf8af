// A client that goes away in the middle of an extended-protocol batch: Parse, Bind and Execute
// of an INSERT sent and answered (Flush), but no Sync. Until Sync the statement runs in an
// implicit transaction that nothing has committed; when the connection ends, by Terminate or by
// a dropped socket, PostgreSQL rolls it back. A pooler that tidies the server up for its next
// client by sending a Sync of its own commits the INSERT instead, and a pooler that hands the
// server on before its replies are read gives the next client someone else's messages.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, EVENTUALLY_MS, msg, observe, step } from '../../harness/scenario/define.ts';
import type { ScenarioSpec } from '../../harness/scenario/model.ts';

const EXTENDED = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

/** No backend holds a lock on the table any more: a's implicit transaction has ended, one way or the other. */
const unlocked = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '{{t}}'";

const goneMidBatch = (how: 'abrupt' | 'terminate', id: string, why: string): ScenarioSpec =>
  defineScenario({
    id,
    category: 'abnormal-exits',
    pool: 'single',
    why,
    docs: EXTENDED,
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('', 'INSERT INTO {{t}} VALUES (42)'), msg.bind(), msg.execute(), msg.flush()],
        until: 'CommandComplete',
        label: 'a: Parse, Bind, Execute of an INSERT, flushed, and no Sync',
        expect: { messages: ['ParseComplete', 'BindComplete', 'CommandComplete'] },
      },
      { session: 'a', disconnect: how, label: how === 'abrupt' ? 'a drops its socket before Sync' : 'a sends Terminate before Sync' },
      { session: 'observer', waitFor: { sql: unlocked, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      observe('SELECT count(*) FROM {{t}}', { label: 'the INSERT was never committed', expect: { rows: [['0']] } }),
      // b's first query on the server a left: exactly its own reply, outside any transaction.
      {
        session: 'b',
        messages: [msg.query('SELECT count(*) FROM {{t}}')],
        label: 'the next client gets its own reply only',
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['0']] },
      },
      step('b', 'SELECT txid_current_if_assigned()', { expect: { rows: [[null]] } }),
    ],
  });

export default [
  goneMidBatch(
    'abrupt',
    'abnormal-exits/abrupt-close-mid-extended-batch-rolls-back',
    'A client that crashes between Execute and Sync (a driver pipelining a batch) must have its INSERT rolled back; a pooler that cleans the server with a Sync of its own commits it.',
  ),
  goneMidBatch(
    'terminate',
    'abnormal-exits/terminate-mid-extended-batch-rolls-back',
    'A client that sends Terminate before the Sync of its batch must have its INSERT rolled back, and the next client on that server must start clean, with no reply of the batch.',
  ),
];
