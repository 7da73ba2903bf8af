// A pipelining client (Npgsql, libpq's pipeline mode) sends its next messages without waiting
// for the ReadyForQuery of the previous Sync, and may send the rest of the batch later. The
// server runs every message in order on one session; what follows a Sync belongs to that
// session as much as what preceded it: an unnamed statement parsed after the Sync is there for
// the Bind that comes later, and an Execute sent before the next Sync runs in an implicit
// transaction that only that Sync commits.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING
//
// A transaction pooler that releases the server at the first ReadyForQuery hands it, with the
// client's messages still on it, to the client queued for it (b). b queues on the single pool
// (singleHeld: wait keeps it there in session pooling too, where it gets the server when a
// leaves); where the pooler's console shows its queue (pgbouncer), the scenario goes on only once
// b is seen waiting, so a pooler that gave b the server diverges there.
import { queuedForSingleServer } from '../../harness/scenario/blocking.ts';
import { defineScenario, msg, observe, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const PIPELINING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING';

/**
 * b asks for the server while a's batch is unfinished, and gets it once a is done. Where no
 * console shows the queue, a second in which nothing may reach a gives a pooler that handed the
 * server over the time to let b run on it; a pooler that keeps it passes whatever the time.
 */
const bQueues: StepSpec[] = [
  step('b', "SELECT 'b ran'", { background: 'qb', timeoutMs: 30_000, label: 'b asks for the one server connection' }),
  ...queuedForSingleServer(1),
  { session: 'a', read: { forMs: 1000 }, expect: { messages: [] }, label: 'a window in which a pooler that released the server lets b run on it' },
];
const bRunsAfterA: StepSpec[] = [
  { session: 'a', disconnect: 'terminate' },
  { session: 'b', await: 'qb', expect: { rows: [['b ran']] } },
];

export default [
  defineScenario({
    id: 'transactions/pipeline-parse-sent-past-ready-for-query',
    category: 'transactions',
    pool: 'single',
    singleHeld: 'wait',
    why: 'Npgsql and libpq pipelines send the next Parse before the previous Sync is answered; a pooler that releases the server at that ReadyForQuery lets another client destroy the statement, and the Bind that follows fails with 26000.',
    docs: PIPELINING,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: "Parse/Bind('a')/Execute/Sync, then Parse of the next statement, read up to the first ReadyForQuery",
        messages: [msg.parse('', 'SELECT $1::text'), msg.bind('', ['a']), msg.execute(), msg.sync(), msg.parse('', "SELECT $1::text || '!'")],
        until: 'ReadyForQuery',
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['a']] },
      },
      ...bQueues,
      {
        session: 'a',
        label: "the rest of the batch: Bind('b')/Execute/Sync on the statement parsed before",
        messages: [msg.bind('', ['b']), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['b!']] },
      },
      ...bRunsAfterA,
    ],
  }),
  defineScenario({
    id: 'transactions/pipeline-execute-sent-past-ready-for-query',
    category: 'transactions',
    pool: 'single',
    singleHeld: 'wait',
    why: "An INSERT executed after one Sync and before the next is in an implicit transaction only that next Sync commits; a pooler that hands the server to another client in between lets that client's query commit it, or see it.",
    docs: PIPELINING,
    setup: ['CREATE TABLE {{t}} (x int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse/Bind(1)/Execute INSERT, Sync, then Bind(2)/Execute of it without Sync, read up to the first ReadyForQuery',
        messages: [
          msg.parse('', 'INSERT INTO {{t}} VALUES ($1::int)'),
          msg.bind('', ['1']),
          msg.execute(),
          msg.sync(),
          msg.bind('', ['2']),
          msg.execute(),
        ],
        until: 'ReadyForQuery',
        expect: { messages: ['ParseComplete', 'BindComplete', 'CommandComplete', 'ReadyForQuery:I'] },
      },
      // The second INSERT has run, and is not committed; PostgreSQL holds its reply until the
      // next Sync or Flush.
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
      ...bQueues,
      observe('SELECT count(*) FROM {{t}}', { label: 'still only the first row: nothing committed the second INSERT', expect: { rows: [['1']] } }),
      {
        session: 'a',
        label: 'the Sync that ends the second implicit transaction',
        messages: [msg.sync()],
        expect: { messages: ['BindComplete', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['INSERT 0 1'] },
      },
      observe('SELECT array_agg(x ORDER BY x) FROM {{t}}', { expect: { rows: [['{1,2}']] } }),
      ...bRunsAfterA,
    ],
  }),
];
