// Statements a client prepares over the protocol, on a server connection other clients used
// before or use in turn. Each session has its own statements: the names and the unnamed
// statement a client Parses are its own, whatever another session prepared with the same text.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
//
// A pooler that prepares statements on its server connections itself (pgbouncer's
// max_prepared_statements, Odyssey's pool_reserve_prepared_statement) finds some of a client's
// statements already there, prepared by an earlier client, and must answer the client's Parse
// itself, in the right place among the replies to the rest of the pipeline.
import { defineScenario, msg } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';
import type { FrontendMessage } from '../../harness/wire/messages.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

const run = (statement: string): FrontendMessage[] => [msg.bind(statement), msg.execute()];
const ran = ['BindComplete', 'DataRow', 'CommandComplete'] as const;

/** psycopg's pipeline: each prepared query Parsed on first use, in the same write as the rest. */
const pipeline = (session: string): StepSpec => ({
  session,
  label: `${session}: Parse/run {{s2_${session}}} (new), Parse/run {{s1_${session}}} (the text the earlier client prepared), an unprepared query, {{s1_${session}}} again, one Sync`,
  // Names of its own, as a driver's counter per connection would give on PostgreSQL too: the
  // same name on a server connection another client left is a collision of its own (prepared-
  // statements/named-same-name-in-two-clients).
  messages: [
    msg.parse(`{{s2_${session}}}`, 'SELECT 2'),
    ...run(`{{s2_${session}}}`),
    msg.parse(`{{s1_${session}}}`, 'SELECT 1'),
    ...run(`{{s1_${session}}}`),
    msg.parse('', 'SELECT 3'),
    ...run(''),
    ...run(`{{s1_${session}}}`),
    msg.sync(),
  ],
  expect: {
    messages: ['ParseComplete', ...ran, 'ParseComplete', ...ran, 'ParseComplete', ...ran, ...ran, 'ReadyForQuery:I'],
    rows: [['2'], ['1'], ['3'], ['1']],
  },
});

/** One round: the client Parses its own unnamed statement and runs it, as pgjdbc does below its prepare threshold. */
const ownUnnamed = (session: string, value: string): StepSpec => ({
  session,
  label: `${session}: Parse the unnamed statement (SELECT ${value}), Bind, Execute, Sync`,
  messages: [msg.parse('', `SELECT ${value} + $1::int`), msg.bind('', ['0']), msg.execute(), msg.sync()],
  expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [[value]] },
});

export default [
  defineScenario({
    id: 'prepared-statements/mixed-pipeline-with-statements-an-earlier-client-prepared',
    category: 'prepared-statements',
    pool: 'single',
    why: "A pipeline that mixes statements an earlier client already prepared on the server connection, new ones and unprepared queries must get every reply in order; a pooler that answers the Parse of a known statement itself and puts its ParseComplete in the wrong place hands the driver another query's result.",
    docs: EXT_QUERY,
    sessions: { w: {}, a: {}, b: {} },
    steps: [
      {
        session: 'w',
        label: 'w prepares SELECT 1 as {{s1_w}} and runs it, then leaves',
        messages: [msg.parse('{{s1_w}}', 'SELECT 1'), ...run('{{s1_w}}'), msg.sync()],
        expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [['1']] },
      },
      { session: 'w', disconnect: 'terminate' },
      pipeline('a'),
      { session: 'a', disconnect: 'terminate' },
      // The same again, now that a's statements are on the server too.
      pipeline('b'),
    ],
  }),
  defineScenario({
    id: 'prepared-statements/unnamed-statements-of-two-clients-alternate',
    category: 'prepared-statements',
    pool: 'single',
    why: "Two clients on one server connection, each re-preparing its own query as the unnamed statement at every execution (pgjdbc below prepareThreshold), must each always get their own result; a pooler that skips a Parse it thinks the server has runs the other client's query.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [1, 2, 3, 4].flatMap(() => [ownUnnamed('a', '1'), ownUnnamed('b', '2')]),
  }),
];
