// The unnamed prepared statement outlives Sync: it lasts until the same session's next Parse of
// the unnamed statement or its next simple Query.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

const parseDoubler: StepSpec = {
  session: 'a',
  label: 'Parse the unnamed statement, Sync (the transaction ends)',
  messages: [msg.parse('', 'SELECT $1::int * 2 AS doubled'), msg.sync()],
  expect: { messages: ['ParseComplete', 'ReadyForQuery'] },
};
const bindDoubler: StepSpec = {
  session: 'a',
  label: 'Bind the unnamed statement with 21, Execute, Sync',
  messages: [msg.bind('', ['21']), msg.execute(), msg.sync()],
  expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['42']] },
};

export default [
  defineScenario({
    id: 'prepared-statements/unnamed-statement-survives-sync',
    category: 'prepared-statements',
    pool: 'single',
    why: "A client that Parses, Syncs, then Binds the unnamed statement must find it; another client's simple query on a shared server destroys it (26000).",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [parseDoubler, step('b', 'SELECT 1', { expect: { rows: [['1']] } }), bindDoubler],
  }),

  defineScenario({
    id: 'prepared-statements/unnamed-statement-not-replaced-by-other-client',
    category: 'prepared-statements',
    pool: 'single',
    why: "A client binding its unnamed statement must run its own query; on a shared server another client's unnamed Parse replaces it and the result is silently wrong.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      parseDoubler,
      {
        session: 'b',
        label: 'b Parses its own unnamed statement (same parameter type), Binds, Executes, Syncs',
        messages: [msg.parse('', 'SELECT $1::int * 1000 AS thousandfold'), msg.bind('', ['1']), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['1000']] },
      },
      bindDoubler,
    ],
  }),
];
