// A SET as the very first statement of a connection, over the extended protocol, as Postgrex sends
// it: Parse and Describe (ParameterDescription, NoData), then Bind, Execute and Close of the
// statement before one Sync (BindComplete, CommandComplete, CloseComplete). A pooler that answers
// a SET itself while the client has no server connection yet (to apply it later) must still send
// every reply PostgreSQL would, in order, and the setting must hold afterwards.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

/** The statement prepared and described, then bound, run and closed, one Sync each: Postgrex's query!. */
const setFirst = (session: string, name: string, value: string): StepSpec[] => [
  {
    session,
    label: `the connection's first messages: Parse ${name || 'the unnamed statement'} (SET application_name), Describe it, Sync`,
    messages: [msg.parse(name, `SET application_name TO '${value}'`), msg.describeStatement(name), msg.sync()],
    expect: { messages: ['ParseComplete', 'ParameterDescription', 'NoData', 'ReadyForQuery:I'] },
  },
  {
    session,
    label: 'Bind, Execute, Close the statement, Sync',
    messages: [msg.bind(name), msg.execute(), { type: 'Close', kind: 'S', name }, msg.sync()],
    expect: { messages: ['BindComplete', 'CommandComplete', 'CloseComplete', 'ReadyForQuery:I'], commandTags: ['SET'] },
  },
  step(session, 'SHOW application_name', { expect: { rows: [[value]] } }),
];

export default [
  defineScenario({
    id: 'session-state/set-first-statement-over-extended-protocol',
    category: 'session-state',
    pool: 'single',
    why: "A driver that sends SET over the extended protocol as a connection's first statement (Postgrex, after_connect hooks) must get ParameterDescription, NoData, BindComplete, CommandComplete and CloseComplete as PostgreSQL sends them, and the setting; a pooler that fakes the reply to an early SET and leaves one out makes the driver drop the connection.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      ...setFirst('a', '{{st}}', 'set_first_named'),
      ...setFirst('b', '', 'set_first_unnamed'),
      step('a', 'SHOW application_name', { expect: { rows: [['set_first_named']] } }),
    ],
  }),
];
