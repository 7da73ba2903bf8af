// DEALLOCATE PREPARE ALL is DEALLOCATE ALL (PREPARE is a noise word), also when the client runs
// it as a statement of its own over the extended protocol, as spqr's xproto suite does: it drops
// every statement of the session, itself included.
import { defineScenario, msg } from '../../harness/scenario/define.ts';
import type { FrontendMessage } from '../../harness/wire/messages.ts';

const run = (name: string): FrontendMessage[] => [msg.bind(name), msg.execute()];

export default [
  defineScenario({
    id: 'prepared-statements/own-deallocate-prepare-all-executed-over-protocol',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A DEALLOCATE PREPARE ALL prepared and executed over the protocol drops every statement of the session (26000 on the next Bind) and frees the names; a pooler that recognises only the short DEALLOCATE ALL, or only simple Queries, keeps its record of the statements and re-creates them or refuses the re-Parse.',
    docs: 'https://www.postgresql.org/docs/current/sql-deallocate.html',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'in one write: Parse {{rm}} (DEALLOCATE PREPARE ALL) and {{st}}, run {{st}}, Sync; run {{rm}}, Sync; run {{st}}, Sync',
        messages: [
          msg.parse('{{rm}}', 'DEALLOCATE PREPARE ALL'),
          msg.parse('{{st}}', 'SELECT 42 AS v'),
          ...run('{{st}}'),
          msg.sync(),
          ...run('{{rm}}'),
          msg.sync(),
          ...run('{{st}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery:I',
            'ErrorResponse:26000',
            'ReadyForQuery:I',
          ],
          rows: [['42']],
          commandTags: ['SELECT 1', 'DEALLOCATE ALL'],
        },
      },
      {
        session: 'a',
        label: 'Bind {{rm}}: it dropped itself too',
        messages: [...run('{{rm}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Parse both names again and run {{st}}, one Sync',
        messages: [msg.parse('{{rm}}', 'DEALLOCATE PREPARE ALL'), msg.parse('{{st}}', 'SELECT 43 AS v'), ...run('{{st}}'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['43']] },
      },
    ],
  }),
];
