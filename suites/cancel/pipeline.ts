// A cancel reaches the statement running now, even in the middle of a pipeline of extended-
// protocol messages sent before one Sync: it fails with 57014, the rest of the pipeline is
// skipped until Sync, and the statements of the implicit transaction before it roll back.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, msg, observe, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'cancel/mid-pipeline-rolls-back-pipeline',
    category: 'cancel',
    pool: 'wide',
    why: 'Cancelling the slow statement of a pipeline must fail it with 57014, skip what follows and roll back what preceded it in the same implicit transaction; a half-applied pipeline corrupts data.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        background: 'q',
        label: 'one pipeline: INSERT 1, a long sleep, INSERT 3, then Sync',
        messages: [
          msg.parse('', 'INSERT INTO {{t}} VALUES (1)'),
          msg.bind(),
          msg.execute(),
          msg.parse('', 'SELECT pg_sleep(10) /* {{m}} */'),
          msg.bind(),
          msg.execute(),
          msg.parse('', 'INSERT INTO {{t}} VALUES (3)'),
          msg.bind(),
          msg.execute(),
          msg.sync(),
        ],
      },
      waitUntilSleeping('m'),
      { session: 'a', cancel: true },
      {
        session: 'a',
        await: 'q',
        expect: {
          messages: ['ParseComplete', 'BindComplete', 'CommandComplete', 'ParseComplete', 'BindComplete', 'ErrorResponse:57014', 'ReadyForQuery'],
        },
      },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
    ],
  }),
];
