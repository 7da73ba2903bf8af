// A statement made with Parse holds one SQL command: a string of two is refused with 42601
// "cannot insert multiple commands into a prepared statement", and nothing is created, so the
// name is free for the next Parse. asyncpg sends every fetch() this way, named; the simple Query
// protocol is where several commands in one string are allowed.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'prepared-statements/failed-parse-of-several-commands',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A Parse of two commands in one string must fail with 42601 and leave the name free; a pooler that splits the string, runs part of it or records the statement anyway gives the driver rows it did not ask for or a 42P05 on its next Parse.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} (SELECT 1;SELECT 2;), Describe it, Sync',
        messages: [msg.parse('{{st}}', 'SELECT 1;SELECT 2;'), msg.describeStatement('{{st}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'the unnamed statement: Parse, Bind, Execute of the same string, Sync',
        messages: [msg.parse('', 'SELECT 1;SELECT 2;'), msg.bind(), msg.execute(), msg.sync()],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Parse {{st}} (SELECT 3), Bind, Execute, Sync: the name was never taken',
        messages: [msg.parse('{{st}}', 'SELECT 3'), msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['3']] },
      },
    ],
  }),
];
