// ParameterStatus is asynchronous: the server may send it in the middle of any reply. A function
// that SETs application_name while it returns rows puts one in the reply of the query that calls
// it (PostgreSQL 14 and later send it after CommandComplete, just before ReadyForQuery; older
// releases sent it at the SET, between RowDescription and DataRow), and the client must get it
// with the rest of the reply intact around it, and keep the value.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
//
// The row is wide on purpose: a RowDescription of 60 long column names is larger than a
// pooler's usual 4 kB packet buffer, so a pooler that relays it in pieces must not slip its
// own messages (a ParameterStatus it rebuilt) between them.
import { defineScenario, msg, step } from '../../harness/scenario/define.ts';

const ASYNC = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC';
const COLUMNS = 60;
const column = (i: number) => `a_column_with_a_name_long_enough_to_fill_a_packet_buffer_${String(i).padStart(3, '0')}`;
const APP = 'pc-set-by-function';

/** {{f}}() SETs application_name (a reported parameter) and returns one row of COLUMNS ones. */
const FUNCTION = `CREATE FUNCTION {{f}}() RETURNS TABLE (${Array.from({ length: COLUMNS }, (_, i) => `${column(i)} int`).join(', ')})
  LANGUAGE plpgsql AS $$ BEGIN SET application_name = '${APP}'; RETURN QUERY SELECT ${Array(COLUMNS).fill('1').join(', ')}; END $$`;
const ONES = [Array<string>(COLUMNS).fill('1')];

export default [
  defineScenario({
    id: 'protocol-framing/parameter-status-inside-a-wide-row-reply',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A function that SETs application_name while returning rows puts a ParameterStatus in the reply; the client must get the row description, the row and the new value intact, and keep the value afterwards, as a pooler that tracks the parameter must learn it from that message.',
    docs: ASYNC,
    setup: [FUNCTION],
    teardown: ['DROP FUNCTION IF EXISTS {{f}}()'],
    // b has a name of its own from its startup, which a pooler that tracks application_name gives back to it.
    sessions: { a: {}, b: { applicationName: 'pc-start-b' } },
    steps: [
      step('a', 'SELECT * FROM {{f}}()', { expect: { rows: ONES, parameterStatus: { application_name: APP } } }),
      step('a', 'SHOW application_name', { expect: { rows: [[APP]] } }),
      step('b', 'SHOW application_name', { expect: { rows: [['pc-start-b']] } }),
      step('a', 'SHOW application_name', { expect: { rows: [[APP]], parameterStatus: { application_name: APP } } }),
    ],
  }),
  defineScenario({
    id: 'protocol-framing/parameter-status-inside-a-wide-row-reply-messages',
    category: 'protocol-framing',
    pool: 'single',
    why: 'The same reply message by message, through the simple and the extended protocol: exactly one ParameterStatus, and the reply around it as PostgreSQL sends it.',
    docs: ASYNC,
    setup: [FUNCTION],
    teardown: ['DROP FUNCTION IF EXISTS {{f}}()'],
    sessions: { a: {} },
    steps: [
      { session: 'a', connect: true },
      {
        session: 'a',
        messages: [msg.query('SELECT * FROM {{f}}()')],
        expect: {
          messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'],
          rows: ONES,
          parameterStatusMessages: [['application_name', APP]],
        },
      },
      step('a', "SET application_name = 'pc-before-extended'", { expect: { parameterStatusMessages: [['application_name', 'pc-before-extended']] } }),
      {
        session: 'a',
        messages: [msg.parse('', 'SELECT * FROM {{f}}()'), msg.bind(), msg.describePortal(), msg.execute(), msg.sync()],
        expect: {
          messages: ['ParseComplete', 'BindComplete', 'RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'],
          rows: ONES,
          parameterStatusMessages: [['application_name', APP]],
        },
      },
    ],
  }),
];
