// A client names the protocol version it wants in its StartupMessage, and may ask for protocol
// options (`_pq_.name`). A server that speaks an older minor version, or does not know an
// option, answers NegotiateProtocolVersion once, before authentication, with the newest minor
// version it has and the options it did not recognise, and goes on in that version; one that
// speaks the version asked for and knows every option says nothing. PostgreSQL 18 speaks 3.2,
// whose BackendKeyData carries a 32-byte cancel key (3.0's is 4 bytes); 15 to 17 speak 3.0.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NEGOTIATEPROTOCOLVERSION
//
// The sessions log in as the trust role, so the login's reply is the same short list on every
// target (the SCRAM exchange would add its own messages).
import { waitUntilSleeping } from '../../harness/scenario/blocking.ts';
import { defineScenario, step } from '../../harness/scenario/define.ts';

const START_UP = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP';
const OPTION = '_pq_.poolcheck_test';

export default [
  defineScenario({
    id: 'auth-transport/protocol-3-2-accepted-with-long-cancel-key',
    category: 'auth-transport',
    pool: 'wide',
    why: 'libpq 18 with max_protocol_version=latest asks for 3.2: a pooler that refuses it, negotiates it twice, or hands out a key its cancels do not honour breaks the login or every statement timeout.',
    docs: START_UP,
    sessions: { a: { user: 'trust', protocol: '3.2' } },
    steps: [
      {
        session: 'a',
        connect: true,
        expect: {
          messages: ['NegotiateProtocolVersion:3.0:', 'AuthenticationOk', 'BackendKeyData:4', 'ReadyForQuery:I'],
          postgres: { '>=18': { messages: ['AuthenticationOk', 'BackendKeyData:32', 'ReadyForQuery:I'] } },
        },
      },
      step('a', 'SELECT pg_sleep(10) /* {{m}} */', { background: 'q' }),
      waitUntilSleeping('m'),
      { session: 'a', cancel: true, label: 'cancel with the key BackendKeyData carried, as long as it came' },
      { session: 'a', await: 'q', expect: { error: '57014' } },
      step('a', 'SELECT 2', { expect: { rows: [['2']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/protocol-3-3-negotiated-down',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A client from a later release asks for a minor version nobody speaks yet; the answer must be one NegotiateProtocolVersion with the newest version the server has, and the session must go on in it.',
    docs: START_UP,
    sessions: { a: { user: 'trust', protocol: '3.3' } },
    steps: [
      {
        session: 'a',
        connect: true,
        expect: {
          messages: ['NegotiateProtocolVersion:3.0:', 'AuthenticationOk', 'BackendKeyData:4', 'ReadyForQuery:I'],
          postgres: { '>=18': { messages: ['NegotiateProtocolVersion:3.2:', 'AuthenticationOk', 'BackendKeyData:32', 'ReadyForQuery:I'] } },
        },
      },
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/protocol-options-listed-in-negotiation',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A client that asks for a protocol option learns from NegotiateProtocolVersion that it was not recognised and must not rely on it; a pooler that swallows the list, or refuses the login, leaves it guessing.',
    docs: 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NEGOTIATEPROTOCOLVERSION',
    sessions: {
      a: { user: 'trust', startupParams: { [OPTION]: 'on' } },
      b: { user: 'trust', protocol: '3.2', startupParams: { [OPTION]: 'on' } },
    },
    steps: [
      {
        session: 'a',
        connect: true,
        label: 'protocol 3.0 with an unknown option',
        expect: { messages: [`NegotiateProtocolVersion:3.0:${OPTION}`, 'AuthenticationOk', 'BackendKeyData:4', 'ReadyForQuery:I'] },
      },
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      {
        session: 'b',
        connect: true,
        label: 'protocol 3.2 with an unknown option',
        expect: {
          messages: [`NegotiateProtocolVersion:3.0:${OPTION}`, 'AuthenticationOk', 'BackendKeyData:4', 'ReadyForQuery:I'],
          postgres: { '>=18': { messages: [`NegotiateProtocolVersion:3.2:${OPTION}`, 'AuthenticationOk', 'BackendKeyData:32', 'ReadyForQuery:I'] } },
        },
      },
      step('b', 'SELECT 2', { expect: { rows: [['2']] } }),
    ],
  }),
];
