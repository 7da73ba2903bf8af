// A client gone while its extended-protocol query still runs: Parse, Bind, Execute and Sync sent,
// the query (a short sleep) not yet answered, the socket dropped. PostgreSQL ends that session;
// the next client starts on a backend of its own. A pooler that keeps the server and hands it on
// must first read off the answer owed to the gone client: if it does not, the next client reads
// the old query's DataRow, CommandComplete and ReadyForQuery as its own.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import { defineScenario, msg } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'abnormal-exits/abrupt-close-mid-extended-query-next-client-gets-own-reply',
    category: 'abnormal-exits',
    pool: 'single',
    why: "A client killed while its prepared query runs must leave nothing for the next client: a pooler that hands the server on with the query's answer still owed gives the next client someone else's rows and an extra ReadyForQuery.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY',
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.parse('{{s}}', "SELECT 'gone-client' /* {{mark}} */ FROM pg_sleep(1)"), msg.bind('{{s}}'), msg.execute(), msg.sync()],
        background: 'q',
        label: "a: a named statement's Parse, Bind, Execute, Sync; the query sleeps",
      },
      {
        session: 'observer',
        waitFor: {
          sql: "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%{{mark}}%' AND pid <> pg_backend_pid()",
          rows: [['1']],
        },
      },
      { session: 'a', disconnect: 'abrupt', label: 'a drops its socket while the query runs' },
      {
        session: 'b',
        messages: [msg.query("SELECT 'own-reply'")],
        label: 'the next client gets its own reply only',
        expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'], rows: [['own-reply']] },
      },
    ],
  }),
];
