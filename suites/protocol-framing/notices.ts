// NoticeResponse can arrive in the middle of any reply and must reach the client that caused it.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'protocol-framing/notice-reaches-its-client',
    category: 'protocol-framing',
    pool: 'single',
    why: 'RAISE NOTICE / WARNING carry migration and deprecation messages; a pooler that drops them hides them from the application log.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "DO $$ BEGIN RAISE NOTICE 'for a'; RAISE WARNING 'also for a'; END $$", { expect: { notices: ['00000', '01000'] } }),
      step('b', 'SELECT 1', { expect: { notices: [] } }),
    ],
  }),
];
