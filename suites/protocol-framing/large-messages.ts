// Named Parse and Bind messages many times a pooler's packet buffer (pgbouncer's pkt_buf is 4096
// bytes by default): a pooler that tracks prepared statements must read a whole Parse or Bind
// before it can rewrite it, and keep the query to prepare it again on another server.
// PostgreSQL takes any message up to 1 GB, and a statement name of any length (it is not an
// identifier, so not cut at 63 bytes).
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import type { MessageLabel } from '../../harness/scenario/model.ts';
import { defineScenario, msg } from '../../harness/scenario/define.ts';

const FORMATS = 'https://www.postgresql.org/docs/current/protocol-message-formats.html';
const PKT_BUF = 4096;

/** A query whose text is about 40 KB: a literal of ten packet buffers, and the parameter's length. */
const BIG_SQL = `SELECT length('{{repeat:1:${PKT_BUF * 10}}}') AS literal, length($1::text) AS param, md5($1::text) AS digest`;
/**
 * Two packet buffers of SQL and of parameter: under four, where pgbouncer keeps the buffer it
 * grew instead of freeing it (sbuf.c), a path of its own.
 */
const MEDIUM_SQL = `SELECT length('{{repeat:2:${PKT_BUF * 2}}}') AS literal, length($1::text) AS param`;
const MEDIUM_PARAM = `{{repeat:m:${PKT_BUF * 2}}}`;
/** A 100 KB text parameter. */
const BIG_PARAM_LENGTH = 100_000;
const BIG_PARAM = `{{repeat:abcdefghij:${BIG_PARAM_LENGTH / 10}}}`;
/** md5 of 'abcdefghij' repeated 10,000 times. */
const BIG_PARAM_MD5 = 'e985dee22ce8f31bb144bd86155483c6';

/**
 * A statement name over two packet buffers. Not more than 10,000 bytes: PostgreSQL refuses a
 * Describe, Close or Execute message longer than that (PQ_SMALL_MESSAGE_LIMIT) by closing the
 * connection, while Parse and Bind may be up to 1 GB.
 */
const LONG_NAME = '{{repeat:n:9000}}';

const run = (name: string, params: string[]): FrontendMessage[] => [msg.bind(name, params), msg.execute()];
const ran: MessageLabel[] = ['BindComplete', 'DataRow', 'CommandComplete'];

export default [
  defineScenario({
    id: 'protocol-framing/large-named-parse-and-bind',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A named statement of 40 KB of SQL bound with a 100 KB parameter (ORM-generated queries, JSON documents) must run whole, in its first transaction and again after another client used the server connection; a pooler whose packet buffer is smaller loops, hangs or cuts the parameter.',
    docs: FORMATS,
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{st}} (40 KB of SQL), Bind it with a 100 KB parameter, Execute, Sync',
        messages: [msg.parse('{{st}}', BIG_SQL), ...run('{{st}}', [BIG_PARAM]), msg.sync()],
        expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [[String(PKT_BUF * 10), String(BIG_PARAM_LENGTH), BIG_PARAM_MD5]] },
      },
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
      {
        session: 'a',
        label: 'Bind {{st}} again with the 100 KB parameter, Flush, then Execute, Sync',
        messages: [msg.bind('{{st}}', [BIG_PARAM]), msg.flush(), msg.execute(), msg.sync()],
        expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [[String(PKT_BUF * 10), String(BIG_PARAM_LENGTH), BIG_PARAM_MD5]] },
      },
      {
        session: 'a',
        label: 'Parse {{st2}} of two packet buffers, Bind it with a parameter of two packet buffers, then {{st}} again, Flush between, one Sync',
        messages: [
          msg.parse('{{st2}}', MEDIUM_SQL),
          msg.flush(),
          ...run('{{st2}}', [MEDIUM_PARAM]),
          msg.flush(),
          ...run('{{st}}', ['y']),
          msg.sync(),
        ],
        expect: {
          messages: ['ParseComplete', ...ran, ...ran, 'ReadyForQuery:I'],
          rows: [
            [String(PKT_BUF * 2), String(PKT_BUF * 2)],
            [String(PKT_BUF * 10), '1', '415290769594460e2e485922904f345d'],
          ],
        },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/statement-name-longer-than-packet-buffer',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A statement name of 9000 bytes (over two packet buffers) is a valid name to PostgreSQL: it can be prepared, described, executed and closed; a pooler that copies names into a fixed buffer fails or truncates it, so the Bind finds no statement.',
    docs: FORMATS,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse a statement with a 9000-byte name, Describe it, Sync',
        messages: [msg.parse(LONG_NAME, 'SELECT $1::text AS echoed'), msg.describeStatement(LONG_NAME), msg.sync()],
        expect: { messages: ['ParseComplete', 'ParameterDescription', 'RowDescription', 'ReadyForQuery:I'] },
      },
      {
        session: 'a',
        label: 'Bind it, Execute, Sync',
        messages: [...run(LONG_NAME, ['abc']), msg.sync()],
        expect: { messages: [...ran, 'ReadyForQuery:I'], rows: [['abc']] },
      },
      {
        session: 'a',
        label: 'Close it, Describe it, Sync',
        messages: [msg.closeStatement(LONG_NAME), msg.describeStatement(LONG_NAME), msg.sync()],
        expect: { messages: ['CloseComplete', 'ErrorResponse:26000', 'ReadyForQuery:I'] },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/pipelined-parses-filling-the-packet-buffer',
    category: 'protocol-framing',
    pool: 'single',
    why: "Two named Parses of half a packet buffer each before one Sync, and a Flush followed by a Parse exactly one packet buffer long (both found by running pgjdbc's suite through pgbouncer) must be answered; a pooler that cannot make room in a full buffer loops forever.",
    docs: FORMATS,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse {{p1}} and {{p2}} of half a packet buffer each, Sync',
        messages: [
          msg.parse('{{p1}}', `SELECT 'a{{repeat:1:${PKT_BUF / 2}}}'`),
          msg.parse('{{p2}}', `SELECT 'b{{repeat:2:${PKT_BUF / 2}}}'`),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', 'ParseComplete', 'ReadyForQuery:I'] },
      },
      {
        // 'P', the length word, the name and its NUL, 'SELECT 1' and its NUL, the parameter count: 4096 bytes.
        session: 'a',
        label: 'Flush, then a Parse message exactly one packet buffer long, Sync',
        messages: [msg.flush(), msg.parse(`{{repeat:p:${PKT_BUF - 1 - 4 - 9 - 2 - 1}}}`, 'SELECT 1'), msg.sync()],
        expect: { messages: ['ParseComplete', 'ReadyForQuery:I'] },
      },
      {
        // Its name is the same in every run: closed, so no server connection keeps it for the next.
        session: 'a',
        label: 'run {{p2}}, Close the buffer-sized statement, Sync',
        messages: [...run('{{p2}}', []), msg.closeStatement(`{{repeat:p:${PKT_BUF - 1 - 4 - 9 - 2 - 1}}}`), msg.sync()],
        expect: { messages: [...ran, 'CloseComplete', 'ReadyForQuery:I'] },
      },
    ],
  }),

  defineScenario({
    id: 'protocol-framing/large-parse-after-other-client-changed-encoding',
    category: 'protocol-framing',
    pool: 'single',
    why: "A named Parse of ten packet buffers arriving on a server connection whose client_encoding another client changed: a pooler must first set the client's own encoding back on the server, and then pass the whole Parse on; one that loses the rest of the message while it does so hangs, and one that skips the SET has the server read the client's UTF-8 as LATIN1.",
    docs: 'https://www.postgresql.org/docs/current/multibyte.html#MULTIBYTE-AUTOMATIC-CONVERSION',
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        sql: "SET client_encoding = 'LATIN1'",
        label: 'a changes the encoding of its session (the server connection, behind a pooler)',
      },
      {
        session: 'b',
        label: 'b: Parse {{st}} with 40 KB of UTF-8 (a literal of 20,480 two-byte characters), Bind, Execute, Sync',
        messages: [
          msg.parse('{{st}}', `SELECT length('{{repeat:\u00e9:${PKT_BUF * 5}}}'), current_setting('client_encoding')`),
          ...run('{{st}}', []),
          msg.sync(),
        ],
        expect: { messages: ['ParseComplete', ...ran, 'ReadyForQuery:I'], rows: [[String(PKT_BUF * 5), 'UTF8']] },
      },
      { session: 'a', sql: "SELECT current_setting('client_encoding')", expect: { rows: [['LATIN1']] } },
    ],
  }),
];
