// A prepared statement is re-planned when the tables it uses change, but its result columns may
// not change: PostgreSQL then refuses to run it with 0A000 "cached plan must not change result
// type", and the client (pgjdbc does this by itself) closes and prepares it again.
// https://www.postgresql.org/docs/current/sql-prepare.html ("... an error will be raised if
// the result would have a different row type")
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const PREPARE = 'https://www.postgresql.org/docs/current/sql-prepare.html';

export default [
  defineScenario({
    id: 'prepared-statements/cached-plan-must-not-change-result-type',
    category: 'prepared-statements',
    pool: 'single',
    why: "After another session changes a column's type, Binding a statement prepared with SELECT * fails with 0A000 and the session goes on; after Close and a new Parse of the name the statement runs with the new type. A pooler that hides the error, closes the connection, or re-prepares its own cached text under the name answers otherwise.",
    docs: PREPARE,
    setup: ['CREATE TABLE {{t}} (v int)', 'INSERT INTO {{t}} VALUES (1)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} (SELECT * FROM {{t}}), run it, Sync',
        messages: [msg.parse('{{st}}', 'SELECT * FROM {{t}}'), msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['1']] },
      },
      observe('ALTER TABLE {{t}} ALTER COLUMN v TYPE text'),
      {
        session: 'a',
        label: 'Bind {{st}} again, Execute, Sync',
        messages: [msg.bind('{{st}}'), msg.execute(), msg.sync()],
        expect: { messages: ['ErrorResponse:0A000', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Close {{st}}, Parse it again, Describe, run it, Sync',
        messages: [
          msg.closeStatement('{{st}}'),
          msg.parse('{{st}}', 'SELECT * FROM {{t}}'),
          msg.describeStatement('{{st}}'),
          msg.bind('{{st}}'),
          msg.execute(),
          msg.sync(),
        ],
        expect: {
          messages: [
            'CloseComplete',
            'ParseComplete',
            'ParameterDescription',
            'RowDescription',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [['1']],
        },
      },
      observe('ALTER TABLE {{t}} ADD COLUMN w int DEFAULT 2'),
      {
        session: 'a',
        label: 'inside a transaction the refusal fails the transaction',
        messages: [msg.query('BEGIN'), msg.bind('{{st}}'), msg.execute(), msg.sync(), msg.query('ROLLBACK')],
        expect: { messages: ['CommandComplete', 'ReadyForQuery:T', 'ErrorResponse:0A000', 'ReadyForQuery:E', 'CommandComplete', 'ReadyForQuery:I'] },
      },
    ],
  }),
];
