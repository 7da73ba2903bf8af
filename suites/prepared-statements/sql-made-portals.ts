// Statements and portals made by SQL are the same objects the extended protocol works with: a
// DECLAREd cursor is a portal that Describe and Execute can name, and a statement made by
// PREPARE can be bound by name, several of them made by one query string.
// https://www.postgresql.org/docs/current/sql-declare.html,
// https://www.postgresql.org/docs/current/sql-prepare.html
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'prepared-statements/describe-declared-cursor-as-portal',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A cursor made by DECLARE, by simple Query or by Parse/Bind/Execute earlier in the same batch, can be described and fetched from as a portal (pgjdbc and Npgsql do for refcursors); a pooler that only knows portals it saw bound answers 34000 or hangs.',
    docs: 'https://www.postgresql.org/docs/current/sql-declare.html',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.query('BEGIN'), msg.query('DECLARE {{c}} CURSOR FOR SELECT 3 AS three')],
        expect: { messages: ['CommandComplete', 'ReadyForQuery:T', 'CommandComplete', 'ReadyForQuery:T'] },
      },
      {
        session: 'a',
        label: 'Describe portal {{c}}, Execute it, Sync',
        messages: [msg.describePortal('{{c}}'), msg.execute('{{c}}'), msg.sync()],
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:T'], rows: [['3']] },
      },
      { session: 'a', sql: 'END' },
      {
        session: 'a',
        label: 'BEGIN; Parse/Bind/Execute DECLARE {{c2}}, Describe portal {{c2}}, Execute it for one row, Sync',
        messages: [
          msg.query('BEGIN'),
          msg.parse('', 'DECLARE {{c2}} CURSOR FOR SELECT n FROM generate_series(1, 2) AS n'),
          msg.bind(),
          msg.execute(),
          msg.describePortal('{{c2}}'),
          msg.execute('{{c2}}', 1),
          msg.sync(),
        ],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'RowDescription',
            'DataRow',
            'PortalSuspended',
            'ReadyForQuery:T',
          ],
          rows: [['1']],
        },
      },
      { session: 'a', sql: 'FETCH NEXT FROM {{c2}}', expect: { rows: [['2']] } },
      { session: 'a', sql: 'END' },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/two-sql-prepares-in-one-query',
    category: 'prepared-statements',
    pool: 'single',
    why: "Two PREPAREs in one query string (an ORM's migration or warm-up script) make two statements, each bindable, describable and executable over the extended protocol; a pooler that parses only the first statement of a string knows one of them.",
    docs: 'https://www.postgresql.org/docs/current/sql-prepare.html',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.query('PREPARE {{by_node}}(int8) AS SELECT $1; PREPARE {{by_way}}(int8) AS SELECT $1 * 10')],
        expect: { messages: ['CommandComplete', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['PREPARE', 'PREPARE'] },
      },
      {
        session: 'a',
        label: 'Bind {{by_node}} with 2, Describe the portal, Execute, Sync',
        messages: [msg.bind('{{by_node}}', ['2']), msg.describePortal(), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['2']] },
      },
      {
        session: 'a',
        label: 'Bind {{by_way}} with 1, Describe the portal, Execute, Sync',
        messages: [msg.bind('{{by_way}}', ['1']), msg.describePortal(), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['10']] },
      },
    ],
  }),
];
