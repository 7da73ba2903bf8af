// The unnamed statement through sequences of Parse, Bind, Describe and Close with errors among
// them: a failed unnamed Parse leaves none, a skipped one changes nothing, a Close removes it at
// once (also for a Bind later in the same segment), a failed Bind or Execute keeps it, and a
// session that never parsed one has none. Each client has its own. A pooler that keeps a copy of
// a client's unnamed statement (to redeploy it on another server) must drop and keep that copy
// exactly when PostgreSQL drops and keeps the statement.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';
const BAD_SQL = 'SELEC 1';
const SYNTAX: MessageLabel = 'ErrorResponse:42601';
const GONE: MessageLabel = 'ErrorResponse:26000';
const RFQ: MessageLabel = 'ReadyForQuery:I';
const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];

/** Bind and Execute the unnamed statement. */
const run = (params: string[] = []): FrontendMessage[] => [msg.bind('', params), msg.execute()];

const write = (session: string, label: string, messages: FrontendMessage[], replies: MessageLabel[], rows?: string[][]): StepSpec => ({
  session,
  label,
  messages,
  expect: rows ? { messages: replies, rows } : { messages: replies },
});
const bindGone = (session = 'a'): StepSpec =>
  write(session, 'Bind the unnamed statement, Execute, Sync: there is none', [...run(), msg.sync()], [GONE, RFQ]);
const bindRuns = (value: string, session = 'a', params: string[] = []): StepSpec =>
  write(session, `Bind the unnamed statement, Execute, Sync: it runs ${value}`, [...run(params), msg.sync()], [...ran, RFQ], [[value]]);
const parseAndRun = (sql: string, value: string, session = 'a'): StepSpec =>
  write(
    session,
    `Parse the unnamed statement (${sql}), Bind, Execute, Sync`,
    [msg.parse('', sql), ...run(), msg.sync()],
    ['ParseComplete', ...ran, RFQ],
    [[value]],
  );

const scenario = (id: string, why: string, steps: StepSpec[], sessions: Record<string, object> = { a: {} }) =>
  defineScenario({ id, category: 'prepared-statements', pool: 'single', why, docs: EXT_QUERY, sessions, steps });

export default [
  scenario(
    'prepared-statements/unnamed-bind-before-any-parse',
    'A Bind of the unnamed statement on a session that never parsed one gets 26000 and the session goes on: a pooler must not bind an unnamed statement another client left on the server.',
    [bindGone(), parseAndRun('SELECT 1', '1')],
  ),
  scenario(
    'prepared-statements/unnamed-describe-in-later-segment-and-on-new-session',
    'Describe of the unnamed statement works in a later segment of the session that parsed it, and gets 26000 on a new session that parsed none.',
    [
      write('a', 'Parse the unnamed statement (SELECT 1), Sync', [msg.parse('', 'SELECT 1'), msg.sync()], ['ParseComplete', RFQ]),
      write('a', 'Describe it, Sync', [msg.describeStatement(''), msg.sync()], ['ParameterDescription', 'RowDescription', RFQ]),
      { session: 'a', disconnect: 'terminate' },
      write('b', 'a new session: Describe the unnamed statement, Sync', [msg.describeStatement(''), msg.sync()], [GONE, RFQ]),
    ],
    { a: {}, b: {} },
  ),
  scenario(
    'prepared-statements/unnamed-statements-of-two-clients-kept-apart',
    "Two clients each bind their own unnamed statement, however the server connections are shared, and one client's Close of the unnamed statement removes only its own.",
    [
      parseAndRun('SELECT 1', '1', 'a'),
      parseAndRun('SELECT 2', '2', 'b'),
      bindRuns('1', 'a'),
      bindRuns('2', 'b'),
      write('a', 'a: Close the unnamed statement, Sync', [msg.closeStatement(''), msg.sync()], ['CloseComplete', RFQ]),
      bindGone('a'),
      bindRuns('2', 'b'),
    ],
    { a: {}, b: {} },
  ),
  scenario(
    'prepared-statements/failed-unnamed-parse-mid-segment-leaves-none',
    'An unnamed Parse that fails mid-segment destroys the unnamed statement, and the unnamed Parse skipped behind it makes none: Bind gets 26000 in the same write and the next, until a new Parse.',
    [
      write(
        'a',
        'one write: Parse and run SELECT 1, a failing unnamed Parse, Bind, Execute, Parse SELECT 2 and run it, Sync; Bind, Execute, Sync',
        [
          msg.parse('', 'SELECT 1'),
          ...run(),
          msg.parse('', BAD_SQL),
          ...run(),
          msg.parse('', 'SELECT 2'),
          ...run(),
          msg.sync(),
          ...run(),
          msg.sync(),
        ],
        ['ParseComplete', ...ran, SYNTAX, RFQ, GONE, RFQ],
        [['1']],
      ),
      bindGone(),
      parseAndRun('SELECT 3', '3'),
    ],
  ),
  scenario(
    'prepared-statements/skipped-unnamed-parse-in-one-write-keeps-previous',
    'After a failed named Parse, the unnamed Parse skipped behind it keeps the earlier unnamed statement for the next segment of the same write, and a later Parse replaces it.',
    [
      write(
        'a',
        'one write: Parse and run SELECT 1, a failing named Parse, Parse SELECT 2 and run it, Sync; Bind, Execute, Sync; Parse and run SELECT 3, Sync',
        [
          msg.parse('', 'SELECT 1'),
          ...run(),
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('', 'SELECT 2'),
          ...run(),
          msg.sync(),
          ...run(),
          msg.sync(),
          msg.parse('', 'SELECT 3'),
          ...run(),
          msg.sync(),
        ],
        ['ParseComplete', ...ran, SYNTAX, RFQ, ...ran, RFQ, 'ParseComplete', ...ran, RFQ],
        [['1']],
      ),
      bindRuns('3'),
    ],
  ),
  scenario(
    'prepared-statements/unnamed-bind-and-execute-errors-keep-statement',
    'An unnamed statement whose Execute failed (22012) or whose Bind failed (22P02) still binds with good values, and an unnamed Parse skipped behind the error does not replace it.',
    [
      write(
        'a',
        "one write: Bind with nothing parsed, Sync; Parse a division by $1, run it with '0', Parse SELECT 2, Sync; run it with '1', Sync",
        [
          ...run(),
          msg.sync(),
          msg.parse('', 'SELECT 1 / ($1::int * (random() < 2)::int)'),
          ...run(['0']),
          msg.parse('', 'SELECT 2'),
          msg.sync(),
          ...run(['1']),
          msg.sync(),
        ],
        [GONE, RFQ, 'ParseComplete', 'BindComplete', 'ErrorResponse:22012', RFQ, ...ran, RFQ],
      ),
      bindRuns('1', 'a', ['1']),
      write(
        'a',
        "Parse SELECT $1::int, Bind it with 'abc', Execute, Sync; run it with '7', Sync",
        [msg.parse('', 'SELECT $1::int'), ...run(['abc']), msg.sync(), ...run(['7']), msg.sync()],
        ['ParseComplete', 'ErrorResponse:22P02', RFQ, ...ran, RFQ],
      ),
    ],
  ),
  scenario(
    'prepared-statements/unnamed-close-around-errors',
    'Close of the unnamed statement removes it at once (a Bind after it in the segment gets 26000); a Close skipped after an error keeps it; a Close before an error removes it; a Close with nothing parsed is harmless.',
    [
      write(
        'a',
        'Parse and run SELECT 1, Close the unnamed statement, Bind, Execute, Sync',
        [msg.parse('', 'SELECT 1'), ...run(), msg.closeStatement(''), ...run(), msg.sync()],
        ['ParseComplete', ...ran, 'CloseComplete', GONE, RFQ],
        [['1']],
      ),
      bindGone(),
      write(
        'a',
        'Parse and run SELECT 2, a failing named Parse, Close, Bind, Execute, Sync; Bind, Execute, Sync',
        [msg.parse('', 'SELECT 2'), ...run(), msg.parse('{{bad}}', BAD_SQL), msg.closeStatement(''), ...run(), msg.sync(), ...run(), msg.sync()],
        ['ParseComplete', ...ran, SYNTAX, RFQ, ...ran, RFQ],
        [['2']],
      ),
      bindRuns('2'),
      write(
        'a',
        'Parse and run SELECT 3, Close the unnamed statement, a failing named Parse, Execute, Sync',
        [msg.parse('', 'SELECT 3'), ...run(), msg.closeStatement(''), msg.parse('{{bad}}', BAD_SQL), msg.execute(), msg.sync()],
        ['ParseComplete', ...ran, 'CloseComplete', SYNTAX, RFQ],
        [['3']],
      ),
      bindGone(),
      write(
        'b',
        'a new session: Close the unnamed statement, Bind, Execute, Sync; Bind, Execute, Sync',
        [msg.closeStatement(''), ...run(), msg.sync(), ...run(), msg.sync()],
        ['CloseComplete', GONE, RFQ, GONE, RFQ],
      ),
      parseAndRun('SELECT 4', '4', 'b'),
    ],
    { a: {}, b: {} },
  ),
];
