// A Parse that fails creates nothing, and after any error in the extended protocol the server
// discards every message up to the next Sync, so a Parse, Close or re-Parse sent behind the
// error changes nothing either: the session's statements are what they were before it.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
// A pooler that tracks statements per client (pgbouncer's max_prepared_statements, Odyssey's
// pool_reserve_prepared_statement, YSQL Connection Manager) must undo what it recorded for the
// messages the server skipped.
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';
const BAD_SQL = 'SELEC 1';

const run = (name: string, params: string[] = []): FrontendMessage[] => [msg.bind(name, params), msg.execute()];
const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];

const parsed = (session: string, name: string, sql: string): StepSpec => ({
  session,
  label: `Parse ${name || 'the unnamed statement'} (${sql}), Sync`,
  messages: [msg.parse(name, sql), msg.sync()],
  expect: { messages: ['ParseComplete', 'ReadyForQuery:I'] },
});
const bindRuns = (session: string, name: string, value: string): StepSpec => ({
  session,
  label: `Bind ${name || 'the unnamed statement'}, Execute, Sync: it runs ${value}`,
  messages: [...run(name), msg.sync()],
  expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [[value]] },
});
const bindGone = (session: string, name: string): StepSpec => ({
  session,
  label: `Bind ${name || 'the unnamed statement'}, Execute, Sync: no such statement`,
  messages: [...run(name), msg.sync()],
  expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery:I'] },
});
const parseAndRun = (session: string, name: string, sql: string, value: string): StepSpec => ({
  session,
  label: `Parse ${name} (${sql}), Bind, Execute, Sync`,
  messages: [msg.parse(name, sql), ...run(name), msg.sync()],
  expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [[value]] },
});

export default [
  defineScenario({
    id: 'prepared-statements/failed-named-parse-creates-nothing',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A named Parse that fails (a table not created yet, a typo) leaves no statement behind, so the application can parse the same name again once the cause is fixed; a pooler that recorded the name answers 42P05, skips the Parse and fails the Bind with 26000, or closes the connection.',
    docs: EXT_QUERY,
    setup: ['DROP TABLE IF EXISTS {{t}}'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} on a missing table, Bind, Execute, Sync',
        messages: [msg.parse('{{st}}', 'SELECT * FROM {{t}}'), ...run('{{st}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:42P01', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Parse {{st}} with a syntax error, then with another unknown column, a Sync after each',
        messages: [msg.parse('{{st}}', BAD_SQL), msg.sync(), msg.parse('{{st}}', 'SELECT no_such_column'), msg.sync()],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I', 'ErrorResponse:42703', 'ReadyForQuery:I'] },
      },
      bindGone('a', '{{st}}'),
      observe('CREATE TABLE {{t}} (v int)'),
      {
        session: 'a',
        label: 'Parse {{st}} again now that the table exists, Describe it, Bind, Execute, Sync',
        messages: [msg.parse('{{st}}', 'SELECT * FROM {{t}}'), msg.describeStatement('{{st}}'), ...run('{{st}}'), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'ParameterDescription', 'RowDescription', 'BindComplete', 'CommandComplete', 'ReadyForQuery:I'],
          commandTags: ['SELECT 0'],
        },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/failed-named-parse-in-pipeline',
    category: 'prepared-statements',
    pool: 'single',
    why: "In a pipeline (psycopg, pgx batches) a failing named Parse ends the segment: the statement parsed before it stays, the ones after it were never made (26000), and every name works again in the next segment of the same write; a pooler that counts the skipped Parses as done, or answers for them, leaves the client's statements out of step.",
    docs: EXT_QUERY,
    setup: ['DROP TABLE IF EXISTS {{t}}'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'one write: run {{s1}}; Parse {{s2}} on a missing table, run it; Parse and run {{s3}}; Sync; then Parse and run {{s3}} again, Sync',
        messages: [
          msg.parse('{{s1}}', 'SELECT 1'),
          ...run('{{s1}}'),
          msg.parse('{{s2}}', 'SELECT * FROM {{t}}'),
          ...run('{{s2}}'),
          msg.parse('{{s3}}', 'SELECT 3'),
          ...run('{{s3}}'),
          msg.sync(),
          msg.parse('{{s3}}', 'SELECT 3'),
          ...run('{{s3}}'),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', ...ran, 'ErrorResponse:42P01', 'ReadyForQuery:I', 'ParseComplete', ...ran, 'ReadyForQuery:I'] },
      },
      bindRuns('a', '{{s1}}', '1'),
      bindGone('a', '{{s2}}'),
      observe('CREATE TABLE {{t}} (v int)'),
      {
        session: 'a',
        label: 'Parse {{s2}} again, run it, Sync',
        messages: [msg.parse('{{s2}}', 'SELECT * FROM {{t}}'), ...run('{{s2}}'), msg.sync()],
        expect: { messages: ['ParseComplete', 'BindComplete', 'CommandComplete', 'ReadyForQuery:I'], commandTags: ['SELECT 0'] },
      },
    ],
  }),

  defineScenario({
    id: 'prepared-statements/skipped-parse-and-close-change-nothing',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A Parse and a Close sent after an error in the same segment are skipped by the server: the new name does not exist (26000) and the closed one still runs; a pooler that applied them to its own record re-creates the one or refuses the other.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'one write: Parse {{s1}}, Sync; a failing Parse, Parse {{s2}}, Close {{s1}}, Sync',
        messages: [
          msg.parse('{{s1}}', 'SELECT 1'),
          msg.sync(),
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('{{s2}}', 'SELECT 2'),
          msg.closeStatement('{{s1}}'),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'ReadyForQuery:I', 'ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      bindGone('a', '{{s2}}'),
      bindRuns('a', '{{s1}}', '1'),
      parseAndRun('a', '{{s2}}', 'SELECT 2', '2'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/skipped-reparse-keeps-old-query',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A Close and re-Parse of a name sent after an error are skipped, so the name still runs its first query; one sent before the error took effect. A pooler that records the re-Parse as done later prepares the wrong query for that name on another server.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      parseAndRun('a', '{{s1}}', 'SELECT 1', '1'),
      {
        session: 'a',
        label: 'a failing Parse, then Close {{s1}}, Parse {{s1}} (SELECT 2), Parse {{s1}} (SELECT 3), Sync',
        messages: [
          msg.parse('{{bad}}', BAD_SQL),
          msg.closeStatement('{{s1}}'),
          msg.parse('{{s1}}', 'SELECT 2'),
          msg.parse('{{s1}}', 'SELECT 3'),
          msg.sync(),
        ],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      bindRuns('a', '{{s1}}', '1'),
      {
        session: 'a',
        label: 'Close {{s1}}, Parse {{s1}} (SELECT 4), a failing Parse, Parse {{s1}} (SELECT 5), Sync',
        messages: [
          msg.closeStatement('{{s1}}'),
          msg.parse('{{s1}}', 'SELECT 4'),
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('{{s1}}', 'SELECT 5'),
          msg.sync(),
        ],
        expect: { messages: ['CloseComplete', 'ParseComplete', 'ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      bindRuns('a', '{{s1}}', '4'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/error-in-one-sync-segment-of-a-write',
    category: 'prepared-statements',
    pool: 'single',
    why: "One write of four Sync segments with an error in the third loses only that segment's statement: the others stay bindable, the lost one gets 26000 until parsed again; a pooler that drops the rest of the write, or answers the segments out of step, fails the whole batch.",
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-PIPELINING',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'one write: Parse and run {{p1}}, Sync; {{p2}}, Sync; a failing Parse, Parse and run {{p3}}, Sync; {{p4}}, Sync',
        messages: [
          msg.parse('{{p1}}', 'SELECT 1'),
          ...run('{{p1}}'),
          msg.sync(),
          msg.parse('{{p2}}', 'SELECT 2'),
          ...run('{{p2}}'),
          msg.sync(),
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('{{p3}}', 'SELECT 3'),
          ...run('{{p3}}'),
          msg.sync(),
          msg.parse('{{p4}}', 'SELECT 4'),
          ...run('{{p4}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            ...ran,
            'ReadyForQuery:I',
            'ParseComplete',
            ...ran,
            'ReadyForQuery:I',
            'ErrorResponse:42601',
            'ReadyForQuery:I',
            'ParseComplete',
            ...ran,
            'ReadyForQuery:I',
          ],
        },
      },
      {
        session: 'a',
        label: 'run {{p1}}, {{p2}}, {{p4}}, then {{p3}}, one Sync',
        messages: [...run('{{p1}}'), ...run('{{p2}}'), ...run('{{p4}}'), ...run('{{p3}}'), msg.sync()],
        expect: { messages: [...ran, ...ran, ...ran, 'ErrorResponse:26000', 'ReadyForQuery:I'] },
      },
      parseAndRun('a', '{{p3}}', 'SELECT 3', '3'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/skipped-parse-after-error-and-flush',
    category: 'prepared-statements',
    pool: 'single',
    why: "After an error that the client reads with Flush (libpq pipelines, pgbouncer's delayed Sync), the server keeps discarding until the Sync that comes later: a Parse sent after the error and before that Sync creates nothing; a pooler that thinks the Flush ended the error state forwards it as if it ran.",
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'a failing Parse, Bind, Execute, Flush: the error arrives',
        messages: [msg.parse('', BAD_SQL), msg.bind(), msg.execute(), msg.flush()],
        until: 'ErrorResponse',
        expect: { messages: ['ErrorResponse:42601'] },
      },
      {
        session: 'a',
        label: 'later: Parse {{s2}}, Bind, Execute, then the Sync',
        messages: [msg.parse('{{s2}}', 'SELECT 2'), ...run('{{s2}}'), msg.sync()],
        expect: { messages: ['ReadyForQuery:I'] },
      },
      bindGone('a', '{{s2}}'),
      parseAndRun('a', '{{s2}}', 'SELECT 2', '2'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/skipped-parse-stays-unknown-after-other-client-parses-it',
    category: 'prepared-statements',
    pool: 'single',
    why: "A Parse the server skipped after an error made nothing for this client, even once another client has prepared the same name on the same server connection: the client's Bind still fails (26000) instead of running the other client's query.",
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'a failing Parse, then Parse {{s2}} (SELECT 2), Sync',
        messages: [msg.parse('{{bad}}', BAD_SQL), msg.parse('{{s2}}', 'SELECT 2'), ...run('{{s2}}'), msg.sync()],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      parseAndRun('b', '{{s2}}', "SELECT 'b''s'", "b's"),
      bindGone('a', '{{s2}}'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/skipped-unnamed-parse-keeps-previous',
    category: 'prepared-statements',
    pool: 'single',
    why: 'An unnamed Parse or Close skipped after an error leaves the unnamed statement as it was, and it still binds in the next segment; a pooler that replays what it recorded gives the client another query.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      parsed('a', '', 'SELECT 1'),
      {
        session: 'a',
        label: 'a failing named Parse, Parse the unnamed statement (SELECT 2), Close it, Sync',
        messages: [msg.parse('{{bad}}', BAD_SQL), msg.parse('', 'SELECT 2'), msg.closeStatement(''), msg.sync()],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      bindRuns('a', '', '1'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/failed-unnamed-parse-drops-previous',
    category: 'prepared-statements',
    pool: 'single',
    why: 'An unnamed Parse replaces the unnamed statement even when it fails: the earlier one is gone (26000 on Bind); a pooler that keeps its own copy of the earlier one runs it instead.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      parsed('a', '', 'SELECT 1'),
      {
        session: 'a',
        label: 'Parse the unnamed statement with a syntax error, Sync',
        messages: [msg.parse('', BAD_SQL), msg.sync()],
        expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
      },
      bindGone('a', ''),
      parsed('a', '', 'SELECT 2'),
      bindRuns('a', '', '2'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/own-simple-query-drops-unnamed-statement',
    category: 'prepared-statements',
    pool: 'single',
    why: "A client's own simple Query (even an empty one) destroys its unnamed statement, while named ones survive: a driver that sends a Query between Parse and a later Bind of the unnamed statement must get 26000, not a statement a pooler kept or re-created.",
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} and the unnamed statement, run both, Sync; an empty Query; run both again, Sync',
        messages: [
          msg.parse('{{st}}', 'SELECT 1'),
          msg.parse('', 'SELECT 2'),
          ...run('{{st}}'),
          ...run(''),
          msg.sync(),
          msg.query(';'),
          ...run('{{st}}'),
          ...run(''),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'ParseComplete',
            ...ran,
            ...ran,
            'ReadyForQuery:I',
            'EmptyQueryResponse',
            'ReadyForQuery:I',
            ...ran,
            'ErrorResponse:26000',
            'ReadyForQuery:I',
          ],
        },
      },
      {
        session: 'a',
        label: 'BEGIN, Parse the unnamed statement, run it, Sync; SELECT 4 as a simple Query; Bind the unnamed statement, Sync; ROLLBACK',
        messages: [
          msg.query('BEGIN'),
          msg.parse('', 'SELECT 3'),
          ...run(''),
          msg.sync(),
          msg.query('SELECT 4'),
          ...run(''),
          msg.sync(),
          msg.query('ROLLBACK'),
        ],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'ParseComplete',
            ...ran,
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'ErrorResponse:26000',
            'ReadyForQuery:E',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
        },
      },
    ],
  }),
];
