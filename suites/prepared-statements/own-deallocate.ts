// A session's own DISCARD ALL, DEALLOCATE ALL and DEALLOCATE name remove the statements it made
// with Parse as well as those it made with PREPARE: both live in one namespace per session
// (https://www.postgresql.org/docs/current/sql-prepare.html). Drivers reset a pooled connection
// with DISCARD ALL and expect their statement caches to start afresh; PDO closes each statement
// with DEALLOCATE. The name is free again afterwards, so a re-Parse of it succeeds.
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const DEALLOCATE = 'https://www.postgresql.org/docs/current/sql-deallocate.html';
const DISCARD = 'https://www.postgresql.org/docs/current/sql-discard.html';

const run = (name: string): FrontendMessage[] => [msg.bind(name), msg.execute()];
const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];

const parseAndRun = (name: string, sql: string, value: string): StepSpec => ({
  session: 'a',
  label: `Parse ${name} (${sql}), Bind, Execute, Sync`,
  messages: [msg.parse(name, sql), ...run(name), msg.sync()],
  expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [[value]] },
});
const bindGone = (name: string): StepSpec => ({
  session: 'a',
  label: `Bind ${name}, Execute, Sync: the statement is gone`,
  messages: [...run(name), msg.sync()],
  expect: { messages: ['ErrorResponse:26000', 'ReadyForQuery:I'] },
});
const bindKept = (name: string, value: string): StepSpec => ({
  session: 'a',
  label: `Bind ${name}, Execute, Sync: the statement is still there`,
  messages: [...run(name), msg.sync()],
  expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [[value]] },
});
const simple = (sql: string, tag: string): StepSpec => ({
  session: 'a',
  messages: [msg.query(sql)],
  expect: { messages: ['CommandComplete', 'ReadyForQuery:I'], commandTags: [tag] },
});

/** Two statements, a command given as a simple Query, then which of them survive, then a re-Parse of the dropped name. */
const bySimpleQuery = (o: { id: string; why: string; docs: string; sql: string; tag: string; keepsSecond: boolean }) =>
  defineScenario({
    id: `prepared-statements/${o.id}`,
    category: 'prepared-statements',
    pool: 'single',
    why: o.why,
    docs: o.docs,
    sessions: { a: {} },
    steps: [
      parseAndRun('{{st}}', 'SELECT 1 AS v', '1'),
      parseAndRun('{{other}}', "SELECT 'other' AS v", 'other'),
      simple(o.sql, o.tag),
      bindGone('{{st}}'),
      o.keepsSecond ? bindKept('{{other}}', 'other') : bindGone('{{other}}'),
      parseAndRun('{{st}}', 'SELECT 2 AS v', '2'),
    ],
  });

export default [
  bySimpleQuery({
    id: 'own-discard-all-drops-protocol-statements',
    why: 'A client that resets its session with DISCARD ALL must find its Parse-made statements gone (26000) and the names free to Parse again; a pooler that keeps or re-creates them runs stale queries, one that still thinks they exist refuses the re-Parse (42P05) or closes the connection.',
    docs: DISCARD,
    sql: 'DISCARD ALL',
    tag: 'DISCARD ALL',
    keepsSecond: false,
  }),
  bySimpleQuery({
    id: 'own-deallocate-all-drops-protocol-statements',
    why: "A client's DEALLOCATE ALL removes every statement it prepared with Parse (26000 on the next Bind), and the names can be parsed again; a pooler that re-deploys its cached copies makes the Bind succeed, one that does not forget them refuses the re-Parse.",
    docs: DEALLOCATE,
    sql: 'DEALLOCATE ALL',
    tag: 'DEALLOCATE ALL',
    keepsSecond: false,
  }),
  bySimpleQuery({
    id: 'own-deallocate-name-drops-protocol-statement',
    why: "A client's DEALLOCATE of one Parse-made statement (PDO closes statements this way) removes that one only: its Bind then fails with 26000, the other statement still runs, and the name can be parsed again.",
    docs: DEALLOCATE,
    sql: 'DEALLOCATE {{st}}',
    tag: 'DEALLOCATE',
    keepsSecond: true,
  }),
  bySimpleQuery({
    id: 'own-deallocate-prepare-all-drops-protocol-statements',
    why: "DEALLOCATE PREPARE ALL is DEALLOCATE ALL (PREPARE is a noise word): a pooler that recognises only the short form leaves the client's statements in place or its own bookkeeping out of step.",
    docs: DEALLOCATE,
    sql: 'DEALLOCATE PREPARE ALL',
    tag: 'DEALLOCATE ALL',
    keepsSecond: false,
  }),
  bySimpleQuery({
    id: 'own-deallocate-prepare-name-drops-protocol-statement',
    why: 'DEALLOCATE PREPARE name is DEALLOCATE name: the one statement goes, the other stays, and the name can be parsed again.',
    docs: DEALLOCATE,
    sql: 'DEALLOCATE PREPARE {{st}}',
    tag: 'DEALLOCATE',
    keepsSecond: true,
  }),

  defineScenario({
    id: 'prepared-statements/own-discard-all-executed-over-protocol',
    category: 'prepared-statements',
    pool: 'single',
    why: "DISCARD ALL prepared as a statement and executed with Bind/Execute (a driver that prepares everything) drops the session's statements, itself included; a pooler that looks for it only in simple Queries keeps its own record of them.",
    docs: DISCARD,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'in one write: Parse {{rm}} (DISCARD ALL) and {{st}}, run {{st}}, Sync; run {{rm}}, Sync; run {{st}}, Sync',
        messages: [
          msg.parse('{{rm}}', 'DISCARD ALL'),
          msg.parse('{{st}}', 'SELECT 42 AS v'),
          ...run('{{st}}'),
          msg.sync(),
          ...run('{{rm}}'),
          msg.sync(),
          ...run('{{st}}'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'ParseComplete',
            ...ran,
            'ReadyForQuery:I',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery:I',
            'ErrorResponse:26000',
            'ReadyForQuery:I',
          ],
          commandTags: ['SELECT 1', 'DISCARD ALL'],
        },
      },
      bindGone('{{rm}}'),
      parseAndRun('{{st}}', 'SELECT 43 AS v', '43'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/own-deallocate-all-then-parse-in-same-sync',
    category: 'prepared-statements',
    pool: 'single',
    why: "A DEALLOCATE ALL (or DISCARD ALL) followed in the same pipeline segment by a Parse of a new statement runs first: the new statement exists afterwards; a pooler that clears its record of the client's statements when the reset's reply comes back forgets the one parsed after it (pgbouncer#1535).",
    docs: DEALLOCATE,
    sessions: { a: {} },
    steps: [
      parseAndRun('{{old}}', 'SELECT 1 AS v', '1'),
      {
        session: 'a',
        label: 'DEALLOCATE ALL over the protocol, then Parse {{st}} and run it, one Sync',
        messages: [msg.parse('', 'DEALLOCATE ALL'), ...run(''), msg.parse('{{st}}', 'SELECT 5 AS v'), ...run('{{st}}'), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'BindComplete', 'CommandComplete', 'ParseComplete', ...ran, 'ReadyForQuery:I'],
          commandTags: ['DEALLOCATE ALL', 'SELECT 1'],
        },
      },
      bindKept('{{st}}', '5'),
      bindGone('{{old}}'),
    ],
  }),

  defineScenario({
    id: 'prepared-statements/own-deallocate-all-executed-in-same-sync',
    category: 'prepared-statements',
    pool: 'single',
    why: "A DEALLOCATE ALL executed over the protocol in the same Sync as an earlier Execute of a statement runs after it: the statement's rows come first, then every statement is gone; a pooler that acts on the DEALLOCATE when it reads it fails the earlier Execute.",
    docs: DEALLOCATE,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{rm}} (DEALLOCATE ALL) and {{st}}, run {{st}}, then bind {{rm}}, Describe its portal, Execute it, one Sync',
        messages: [
          msg.parse('{{rm}}', 'DEALLOCATE ALL'),
          msg.parse('{{st}}', 'SELECT 42 AS v'),
          ...run('{{st}}'),
          msg.bind('{{rm}}'),
          msg.describePortal(),
          msg.execute(),
          msg.sync(),
        ],
        expect: {
          messages: ['ParseComplete', 'ParseComplete', ...ran, 'BindComplete', 'NoData', 'CommandComplete', 'ReadyForQuery:I'],
          rows: [['42']],
          commandTags: ['SELECT 1', 'DEALLOCATE ALL'],
        },
      },
      bindGone('{{st}}'),
      bindGone('{{rm}}'),
      {
        session: 'a',
        label: 'Parse both names again: {{rm}} as DEALLOCATE PREPARE {{st}}, run {{st}} then {{rm}}, one Sync',
        messages: [
          msg.parse('{{rm}}', 'DEALLOCATE PREPARE {{st}}'),
          msg.parse('{{st}}', 'SELECT 43 AS v'),
          ...run('{{st}}'),
          ...run('{{rm}}'),
          msg.sync(),
        ],
        expect: {
          messages: ['ParseComplete', 'ParseComplete', ...ran, 'BindComplete', 'CommandComplete', 'ReadyForQuery:I'],
          rows: [['43']],
          commandTags: ['SELECT 1', 'DEALLOCATE'],
        },
      },
      bindGone('{{st}}'),
      parseAndRun('{{st}}', 'SELECT 44 AS v', '44'),
    ],
  }),
];
