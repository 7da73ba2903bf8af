// Longer pipelines of named statements with an error in them: what PostgreSQL skips after the
// error (up to the Sync) changes nothing, what ran before it stays, and a Bind or Execute that
// fails takes nothing away from its statement. Each scenario is one sequence a pooler that keeps
// its own record of a client's statements (to re-prepare them on another server) must follow
// message by message: a record that counts a skipped Parse or Close as done, or drops a
// statement whose Bind failed, later answers a Bind differently from PostgreSQL.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';
const BAD_SQL = 'SELEC 1';
const SYNTAX: MessageLabel = 'ErrorResponse:42601';
const GONE: MessageLabel = 'ErrorResponse:26000';
const RFQ: MessageLabel = 'ReadyForQuery:I';

const run = (name: string, params: string[] = []): FrontendMessage[] => [msg.bind(name, params), msg.execute()];
const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];

const write = (label: string, messages: FrontendMessage[], replies: MessageLabel[], rows?: string[][]): StepSpec => ({
  session: 'a',
  label,
  messages,
  expect: rows ? { messages: replies, rows } : { messages: replies },
});
const bindGone = (name: string): StepSpec => write(`Bind ${name}, Execute, Sync: no such statement`, [...run(name), msg.sync()], [GONE, RFQ]);
const bindRuns = (name: string, value: string): StepSpec =>
  write(`Bind ${name}, Execute, Sync: it runs ${value}`, [...run(name), msg.sync()], [...ran, RFQ], [[value]]);
const parseAndRun = (name: string, sql: string, value: string): StepSpec =>
  write(`Parse ${name} (${sql}), Bind, Execute, Sync`, [msg.parse(name, sql), ...run(name), msg.sync()], ['ParseComplete', ...ran, RFQ], [[value]]);

const scenario = (id: string, why: string, steps: StepSpec[]) =>
  defineScenario({ id, category: 'prepared-statements', pool: 'single', why, docs: EXT_QUERY, sessions: { a: {} }, steps });

export default [
  scenario(
    'prepared-statements/bind-of-unknown-name-skips-parse-behind-it',
    'A Bind of a name never prepared fails (26000) and the Parse behind it in the same segment is skipped: the name stays unknown until parsed again; a pooler that records that Parse later binds a statement the server never made.',
    [
      write(
        'Bind of a name never parsed, Execute, then Parse {{s1}}, Bind, Execute, Sync',
        [...run('{{nope}}'), msg.parse('{{s1}}', 'SELECT 1'), ...run('{{s1}}'), msg.sync()],
        [GONE, RFQ],
      ),
      bindGone('{{s1}}'),
      parseAndRun('{{s1}}', 'SELECT 1', '1'),
    ],
  ),
  scenario(
    'prepared-statements/skipped-parse-bound-and-parsed-again-in-one-write',
    'In one write of five segments, a name whose Parse was skipped gets 26000 on Bind after the Sync, and parsing it again later in the same write works; every statement made is bindable afterwards.',
    [
      write(
        'one write: run {{s1}}; a failing Parse, Parse and run {{s2}}; Bind {{s2}}; Parse and run {{s3}}; Parse and run {{s2}}; a Sync after each',
        [
          msg.parse('{{s1}}', 'SELECT 1'),
          ...run('{{s1}}'),
          msg.sync(),
          msg.parse('{{bad}}', BAD_SQL),
          ...run('{{bad}}'),
          msg.parse('{{s2}}', 'SELECT 2'),
          ...run('{{s2}}'),
          msg.sync(),
          ...run('{{s2}}'),
          msg.sync(),
          msg.parse('{{s3}}', 'SELECT 3'),
          ...run('{{s3}}'),
          msg.sync(),
          msg.parse('{{s2}}', 'SELECT 2'),
          ...run('{{s2}}'),
          msg.sync(),
        ],
        ['ParseComplete', ...ran, RFQ, SYNTAX, RFQ, GONE, RFQ, 'ParseComplete', ...ran, RFQ, 'ParseComplete', ...ran, RFQ],
      ),
      write(
        'run {{s1}}, {{s2}} and {{s3}}, one Sync',
        [...run('{{s1}}'), ...run('{{s2}}'), ...run('{{s3}}'), msg.sync()],
        [...ran, ...ran, ...ran, RFQ],
      ),
    ],
  ),
  scenario(
    'prepared-statements/two-skipped-parses-of-a-new-name-create-nothing',
    'Two Parses of the same new name skipped after an error create nothing (26000 on Bind), and a fresh Parse of the name works; a pooler that records them as a re-Parse pair answers 42P05 or binds one of them.',
    [
      write(
        'a failing Parse, then Parse {{s1}} (SELECT 1) and run it, Parse {{s1}} (SELECT 2) and run it, Sync',
        [
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('{{s1}}', 'SELECT 1'),
          ...run('{{s1}}'),
          msg.parse('{{s1}}', 'SELECT 2'),
          ...run('{{s1}}'),
          msg.sync(),
        ],
        [SYNTAX, RFQ],
      ),
      bindGone('{{s1}}'),
      parseAndRun('{{s1}}', 'SELECT 3', '3'),
    ],
  ),
  scenario(
    'prepared-statements/bind-and-execute-errors-keep-statement',
    'A statement whose Bind failed (22P02) or whose Execute failed (22012) stays prepared and runs with good values, while the Parses skipped behind those errors create nothing.',
    [
      write(
        "Parse {{s1}} (SELECT $1::int), Bind it with 'abc', Execute, Parse and run {{s2}}, Sync",
        [msg.parse('{{s1}}', 'SELECT $1::int'), ...run('{{s1}}', ['abc']), msg.parse('{{s2}}', 'SELECT 2'), ...run('{{s2}}'), msg.sync()],
        ['ParseComplete', 'ErrorResponse:22P02', RFQ],
      ),
      write("run {{s1}} with '5', then {{s2}}, Sync", [...run('{{s1}}', ['5']), ...run('{{s2}}'), msg.sync()], [...ran, GONE, RFQ], [['5']]),
      write(
        "Parse {{s3}} (a division by $1), run it with '0', Parse and run {{s4}}, Sync",
        [
          msg.parse('{{s3}}', 'SELECT 1 / ($1::int * (random() < 2)::int)'),
          ...run('{{s3}}', ['0']),
          msg.parse('{{s4}}', 'SELECT 4'),
          ...run('{{s4}}'),
          msg.sync(),
        ],
        ['ParseComplete', 'BindComplete', 'ErrorResponse:22012', RFQ],
      ),
      write("run {{s3}} with '1', then {{s4}}, Sync", [...run('{{s3}}', ['1']), ...run('{{s4}}'), msg.sync()], [...ran, GONE, RFQ], [['1']]),
    ],
  ),
  scenario(
    'prepared-statements/close-then-bind-in-one-segment',
    'A Bind right after a Close of the same statement, in the same segment, gets 26000, and the name can be parsed again; a pooler that re-prepares the statement it remembers runs it instead.',
    [
      parseAndRun('{{s1}}', 'SELECT 1', '1'),
      write('Close {{s1}}, Bind {{s1}}, Execute, Sync', [msg.closeStatement('{{s1}}'), ...run('{{s1}}'), msg.sync()], ['CloseComplete', GONE, RFQ]),
      parseAndRun('{{s1}}', 'SELECT 1', '1'),
    ],
  ),
  scenario(
    'prepared-statements/mixed-pipeline-replies-in-order',
    'One write mixing named and unnamed statements, Describe, a portal Bind and Close, a statement Close, a simple Query between Syncs and a failing Parse gets every reply in order, and exactly the statements that exist afterwards bind; a pooler whose queue of pending replies slips answers one message with another.',
    [
      write(
        'one write: run {{m1}} and the unnamed statement, Describe {{m1}}, Bind and Close portal {{mp}}, Close {{m1}}, Sync; Query; run {{m2}}, a failing Parse, run {{m2}}, Close {{m2}}, Sync',
        [
          msg.parse('{{m1}}', 'SELECT 1'),
          ...run('{{m1}}'),
          msg.parse('', 'SELECT 2'),
          ...run(''),
          msg.describeStatement('{{m1}}'),
          msg.bind('{{m1}}', [], '{{mp}}'),
          msg.closePortal('{{mp}}'),
          msg.closeStatement('{{m1}}'),
          msg.sync(),
          msg.query('SELECT 3'),
          msg.parse('{{m2}}', 'SELECT 4'),
          ...run('{{m2}}'),
          msg.parse('{{bad}}', BAD_SQL),
          ...run('{{m2}}'),
          msg.closeStatement('{{m2}}'),
          msg.sync(),
        ],
        [
          'ParseComplete',
          ...ran,
          'ParseComplete',
          ...ran,
          'ParameterDescription',
          'RowDescription',
          'BindComplete',
          'CloseComplete',
          'CloseComplete',
          RFQ,
          'RowDescription',
          'DataRow',
          'CommandComplete',
          RFQ,
          'ParseComplete',
          ...ran,
          SYNTAX,
          RFQ,
        ],
      ),
      parseAndRun('{{m3}}', 'SELECT 5', '5'),
      bindRuns('{{m3}}', '5'),
      bindRuns('{{m2}}', '4'),
      bindGone('{{m1}}'),
    ],
  ),
  scenario(
    'prepared-statements/close-and-reparse-around-an-error',
    'Close and re-Parse of a name before and after an error in one segment leave exactly what ran before the error: a Close that ran removes the name, a skipped Close keeps it, skipped Parses create or replace nothing.',
    [
      write(
        'Parse {{s1}} (SELECT 1), Close {{s1}}, a failing Parse, Parse {{s1}} (SELECT 2), Sync',
        [msg.parse('{{s1}}', 'SELECT 1'), msg.closeStatement('{{s1}}'), msg.parse('{{bad}}', BAD_SQL), msg.parse('{{s1}}', 'SELECT 2'), msg.sync()],
        ['ParseComplete', 'CloseComplete', SYNTAX, RFQ],
      ),
      bindGone('{{s1}}'),
      write(
        'Parse and run {{s1}} (SELECT 1), a failing Parse, Parse and run {{s2}}, Parse {{s1}} (SELECT 3) and run it, Sync',
        [
          msg.parse('{{s1}}', 'SELECT 1'),
          ...run('{{s1}}'),
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('{{s2}}', 'SELECT 2'),
          ...run('{{s2}}'),
          msg.parse('{{s1}}', 'SELECT 3'),
          ...run('{{s1}}'),
          msg.sync(),
        ],
        ['ParseComplete', ...ran, SYNTAX, RFQ],
        [['1']],
      ),
      write('run {{s1}}, then {{s2}}, Sync', [...run('{{s1}}'), ...run('{{s2}}'), msg.sync()], [...ran, GONE, RFQ], [['1']]),
      write(
        'a failing Parse, Parse and run {{s2}}, Close {{s1}}, Parse {{s1}} (SELECT 3) and run it, Sync',
        [
          msg.parse('{{bad}}', BAD_SQL),
          msg.parse('{{s2}}', 'SELECT 2'),
          ...run('{{s2}}'),
          msg.closeStatement('{{s1}}'),
          msg.parse('{{s1}}', 'SELECT 3'),
          ...run('{{s1}}'),
          msg.sync(),
        ],
        [SYNTAX, RFQ],
      ),
      write('run {{s1}}, then {{s2}}, Sync', [...run('{{s1}}'), ...run('{{s2}}'), msg.sync()], [...ran, GONE, RFQ], [['1']]),
    ],
  ),
  defineScenario({
    id: 'prepared-statements/skipped-bind-of-named-statement-while-other-client-in-transaction',
    category: 'prepared-statements',
    pool: 'wide',
    why: 'A Bind of an existing statement skipped after a failed Parse changes nothing: the statement runs in the next segment, also while another client holds a server connection in its transaction and the pooler may move this client to another one.',
    docs: EXT_QUERY,
    sessions: { a: {}, b: {} },
    steps: [
      parseAndRun('{{s1}}', 'SELECT 1', '1'),
      { session: 'b', sql: 'BEGIN', label: 'another client opens a transaction and keeps its server connection' },
      write(
        'a failing unnamed Parse, Bind, Execute, then Bind {{s1}}, Execute, Sync',
        [msg.parse('', BAD_SQL), ...run(''), ...run('{{s1}}'), msg.sync()],
        [SYNTAX, RFQ],
      ),
      bindRuns('{{s1}}', '1'),
      { session: 'b', sql: 'COMMIT' },
    ],
  }),
];
