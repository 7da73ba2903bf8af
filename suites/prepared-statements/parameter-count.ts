// A prepared statement is executed with exactly as many parameters as it declares: EXECUTE with
// another count is a syntax error (42601), a Bind with another count a protocol violation
// (08P01). Either way the statement stays and can be executed correctly afterwards.
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';

/** The most parameters a Parse or Bind can carry: its count is an unsigned 16-bit number. */
const MAX_PARAMETERS = 65535;
const MANY_PARAMETERS = Array.from({ length: MAX_PARAMETERS }, (_, i) => String(i));
const MANY_PARAMETERS_SQL = `SELECT array_length(p, 1), p[1], p[${MAX_PARAMETERS}] FROM (SELECT ARRAY[${MANY_PARAMETERS.map((_, i) => `$${i + 1}::int`).join(',')}]) AS s(p)`;

export default [
  defineScenario({
    id: 'prepared-statements/sql-execute-wrong-parameter-count',
    category: 'prepared-statements',
    pool: 'single',
    why: 'EXECUTE with too few parameters, or one of the wrong type, must fail with 42601 / 22P02 and leave the statement usable, so the application sees its own mistake and can retry.',
    docs: 'https://www.postgresql.org/docs/current/sql-execute.html',
    sessions: { a: {} },
    steps: [
      step('a', 'PREPARE {{ps}}(int, int) AS SELECT $1 + $2'),
      step('a', 'EXECUTE {{ps}}(1)', { expect: { error: '42601' } }),
      step('a', "EXECUTE {{ps}}('x', 2)", { expect: { error: '22P02' } }),
      step('a', 'EXECUTE {{ps}}(1, 2)', { expect: { rows: [['3']] } }),
    ],
  }),
  defineScenario({
    id: 'prepared-statements/bind-wrong-parameter-count',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A Bind with the wrong number of parameters must be answered with 08P01 and ReadyForQuery, leaving the named statement to be bound correctly next.',
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html',
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse a named statement with two parameters, Sync',
        messages: [msg.parse('{{st}}', 'SELECT $1::int + $2::int AS total'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Bind it with one parameter, Execute, Sync',
        messages: [msg.bind('{{st}}', ['1']), msg.execute(), msg.sync()],
        expect: { messages: ['ErrorResponse:08P01', 'ReadyForQuery'] },
      },
      {
        session: 'a',
        label: 'Bind it with two parameters, Execute, Sync',
        messages: [msg.bind('{{st}}', ['1', '2']), msg.execute(), msg.sync()],
        expect: { messages: ['BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery'], rows: [['3']] },
      },
    ],
  }),
  defineScenario({
    id: 'prepared-statements/bind-with-65535-parameters',
    category: 'prepared-statements',
    pool: 'single',
    why: 'A statement may have up to 65535 parameters: Parse and Bind carry the count as an unsigned 16-bit number, so a bulk INSERT or an IN list an ORM builds at that size must run; a pooler that reads the count as signed, or caps it lower, refuses or corrupts it.',
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND',
    sessions: { a: {} },
    steps: [
      {
        // As raw messages: postgres.js refuses more than 65534 parameters itself.
        session: 'a',
        label: 'Parse a statement of 65535 parameters, Bind it with each its own number, Execute, Sync',
        messages: [msg.parse('', MANY_PARAMETERS_SQL), msg.bind('', MANY_PARAMETERS), msg.execute(), msg.sync()],
        // 65535 casts to parse and plan: the scenario took up to 5.4 s on direct in an all-driver
        // run on two cores, and the usual 5 s deadline would take a slow machine for a pooler that hangs.
        timeoutMs: 20_000,
        expect: {
          messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'],
          rows: [[String(MAX_PARAMETERS), '0', String(MAX_PARAMETERS - 1)]],
        },
      },
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
    ],
  }),
];
