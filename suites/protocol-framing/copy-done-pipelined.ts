// A COPY FROM STDIN with no rows, its CopyDone written right behind the Query before
// CopyInResponse came back (spqr's xproto TestCopySimple, which does it five times on one
// connection). PostgreSQL reads the CopyDone in copy-in mode: COPY 0, one ReadyForQuery.
import { defineScenario, msg } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const emptyCopy = (label: string): StepSpec => ({
  session: 'a',
  label,
  messages: [msg.query('COPY {{t}} (v) FROM STDIN'), msg.copyDone()],
  expect: { messages: ['CopyInResponse', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 0'] },
});

export default [
  defineScenario({
    id: 'protocol-framing/copy-done-before-copy-in-response-repeated',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A client that finishes an empty COPY FROM STDIN without waiting for CopyInResponse (a loader with nothing to send) must get COPY 0 and one ReadyForQuery each time; a pooler that only enters copy mode when CopyInResponse passes through drops or misroutes the early CopyDone, and the session hangs or the next reply is out of step.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      emptyCopy('Query COPY FROM STDIN and CopyDone in one write'),
      emptyCopy('the same again on the same connection'),
      emptyCopy('and a third time'),
      { session: 'a', sql: 'SELECT count(*) FROM {{t}}', expect: { rows: [['0']] } },
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
    ],
  }),
];
