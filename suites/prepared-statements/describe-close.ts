// Describe and Close of named statements.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

const parseTwoParams: StepSpec = {
  session: 'a',
  label: 'Parse a named statement with two parameters, Sync',
  messages: [msg.parse('{{st}}', 'SELECT $1::int + 1 AS n, $2::text AS t'), msg.sync()],
  expect: { messages: ['ParseComplete', 'ReadyForQuery'] },
};

export default [
  defineScenario({
    id: 'prepared-statements/describe-then-close-named-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: 'Describe of a prepared statement must report its parameters and columns in any later transaction (drivers encode with them); after Close, Bind must fail (26000).',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse a named statement with two parameters, Describe it, Sync',
        messages: [msg.parse('{{st}}', 'SELECT $1::int + 1 AS n, $2::text AS t'), msg.describeStatement('{{st}}'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ParameterDescription', 'RowDescription', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Describe the statement again in a later transaction, Sync',
        messages: [msg.describeStatement('{{st}}'), msg.sync()],
        expect: { messages: ['ParameterDescription', 'RowDescription', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        messages: [msg.bind('{{st}}', ['41', 'x']), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['42', 'x']] },
      },
      { session: 'a', messages: [msg.closeStatement('{{st}}'), msg.sync()], expect: { messages: ['CloseComplete', 'ReadyForQuery'] } },
      {
        session: 'a',
        messages: [msg.bind('{{st}}', ['1', 'y']), msg.execute(), msg.sync()],
        expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Parse the closed name again with another query, Bind, Execute, Sync',
        messages: [msg.parse('{{st}}', "SELECT 'reused' AS r"), msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['reused']] },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/describe-other-clients-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "Describe of a statement name only another client prepared must fail (26000), not describe that client's query.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      parseTwoParams,
      {
        session: 'b',
        label: "Describe a's statement name, Sync",
        messages: [msg.describeStatement('{{st}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery'] },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/close-by-other-client-spares-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "A Close sent by one client for a name it does not have must not remove another client's statement of that name.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      parseTwoParams,
      {
        session: 'b',
        label: "Close a's statement name (not an error for a name b does not have), Sync",
        messages: [msg.closeStatement('{{st}}'), msg.sync()],
        expect: { messages: ['CloseComplete', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        messages: [msg.bind('{{st}}', ['1', 'z']), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['2', 'z']] },
      },
    ],
  }),
];
