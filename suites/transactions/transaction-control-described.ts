// BEGIN, COMMIT and ROLLBACK over the extended protocol, as tokio-postgres, pgx and Npgsql send
// them: a BEGIN prepared and described has no parameters and returns no rows
// (ParameterDescription with none, NoData), and each Execute opens or closes the transaction
// (ReadyForQuery T, then I). A pooler that answers transaction control itself (to defer BEGIN
// until a real statement) must answer Describe as PostgreSQL does.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';

const run = (sql: string): FrontendMessage[] => [msg.parse('', sql), msg.bind(), msg.execute(), msg.sync()];
const control = (sql: string, status: 'I' | 'T'): StepSpec => ({
  session: 'a',
  label: `${sql} over the extended protocol`,
  messages: run(sql),
  expect: { messages: ['ParseComplete', 'BindComplete', 'CommandComplete', `ReadyForQuery:${status}`], commandTags: [sql] },
});

export default [
  defineScenario({
    id: 'transactions/transaction-control-prepared-and-described',
    category: 'transactions',
    pool: 'single',
    why: 'A driver that prepares and describes BEGIN (tokio-postgres) must learn it has no parameters and no columns, and BEGIN/COMMIT and BEGIN/ROLLBACK run over the extended protocol must open and close the transaction; a pooler that fakes the reply to BEGIN sends the driver messages it does not expect.',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} (BEGIN), Describe it, Sync',
        messages: [msg.parse('{{st}}', 'BEGIN'), msg.describeStatement('{{st}}'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ParameterDescription', 'NoData', 'ReadyForQuery:I'] },
      },
      control('BEGIN', 'T'),
      control('COMMIT', 'I'),
      control('BEGIN', 'T'),
      {
        session: 'a',
        label: 'SELECT 1 inside it',
        messages: run('SELECT 1'),
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:T'] },
      },
      control('ROLLBACK', 'I'),
      {
        session: 'a',
        label: 'run {{st}} by name, then COMMIT, one Sync each',
        messages: [msg.bind('{{st}}'), msg.execute(), msg.sync(), ...run('COMMIT')],
        expect: {
          messages: ['BindComplete', 'CommandComplete', 'ReadyForQuery:T', 'ParseComplete', 'BindComplete', 'CommandComplete', 'ReadyForQuery:I'],
          commandTags: ['BEGIN', 'COMMIT'],
        },
      },
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
    ],
  }),
];
