// A pipeline whose first segment is complete and whose second is not: Parse/Bind/Execute of a
// SELECT and Sync, then Parse/Bind/Execute of an INSERT with no Sync, in one write, and the
// client's socket dropped. The first Sync ended the SELECT's implicit transaction; the INSERT
// runs in a new one that nothing commits, so PostgreSQL rolls it back. A pooler that takes the
// first ReadyForQuery for the end of the client's work detaches the server with the INSERT still
// open, and the next client's Sync on that server commits it.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, EVENTUALLY_MS, msg, observe } from '../../harness/scenario/define.ts';

/** No backend holds a lock on the table any more: a's implicit transaction has ended, one way or the other. */
const unlocked = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '{{t}}'";

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-after-synced-segment-rolls-back-unsynced-insert',
    category: 'abnormal-exits',
    pool: 'single',
    why: 'A client that crashes after the first Sync of a pipeline and before the last must lose its unsynced INSERT: a pooler that detached the server at the first ReadyForQuery lets the next client commit it.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        messages: [
          msg.parse('', 'SELECT 1'),
          msg.bind(),
          msg.execute(),
          msg.sync(),
          msg.parse('', 'INSERT INTO {{t}} VALUES (42)'),
          msg.bind(),
          msg.execute(),
          msg.flush(),
        ],
        until: 'ReadyForQuery',
        label: 'a: a SELECT and Sync, then an INSERT flushed without Sync, in one write',
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        read: 'CommandComplete',
        label: "the INSERT's replies",
        expect: { messages: ['ParseComplete', 'BindComplete', 'CommandComplete'] },
      },
      { session: 'a', disconnect: 'abrupt', label: 'a drops its socket before the second Sync' },
      { session: 'observer', waitFor: { sql: unlocked, rows: [['0']] }, timeoutMs: EVENTUALLY_MS },
      {
        session: 'b',
        messages: [msg.parse('', 'SELECT count(*) FROM {{t}}'), msg.bind(), msg.execute(), msg.sync()],
        label: 'the next client, with a Sync of its own',
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['0']] },
      },
      observe('SELECT count(*) FROM {{t}}', { label: 'the INSERT was never committed', expect: { rows: [['0']] } }),
    ],
  }),
];
