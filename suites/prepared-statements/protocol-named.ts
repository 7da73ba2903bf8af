// Protocol-level named prepared statements (Parse with a name) belong to one session.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { releaseObserverLock, waitOnObserverLock } from '../../harness/scenario/blocking.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

// Keeps the server that `session` lands on busy until the observer lets go: the observer holds a
// session-level advisory lock and `session` waits for it in a single statement.
const occupyServer = (session: string) => waitOnObserverLock(session, 'held');
const releaseServer = (session: string) => releaseObserverLock(session, 'held');

export default [
  defineScenario({
    id: 'prepared-statements/named-statement-invisible-to-other-client',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A client that binds a statement name it never prepared must get "prepared statement does not exist", not silently run another client\'s query.',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('{{st}}', "SELECT 'prepared by a' AS who"), msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['prepared by a']] },
      },
      {
        session: 'b',
        label: "Bind to a's statement name without a Parse of its own, Execute, Sync",
        messages: [msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery'] },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/named-same-name-in-two-clients',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Two clients that pick the same statement name must both be able to prepare it; a shared server connection makes the second fail with "already exists" (42P05).',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', named: { name: '{{st}}', sql: "SELECT 'a' AS who" }, expect: { rows: [['a']] } },
      { session: 'b', named: { name: '{{st}}', sql: "SELECT 'b' AS who" }, expect: { rows: [['b']] } },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/named-reused-in-later-transaction',
    category: 'prepared-statements',
    pool: 'wide',
    why: 'A statement a client prepared must still exist in its next transaction; if that transaction runs on another server connection, Bind fails with 26000.',
    docs: EXT_QUERY,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT $1::int * 2 AS doubled', params: ['21'] }, expect: { rows: [['42']] } },
      // b is busy on whatever server connection it got while a comes back.
      ...occupyServer('b'),
      { session: 'a', named: { name: '{{st}}', sql: 'SELECT $1::int * 2 AS doubled', params: ['50'] }, expect: { rows: [['100']] } },
      ...releaseServer('b'),
    ],
  }),
];
