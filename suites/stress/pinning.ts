// The pinning map (harness/report/pinning-map.ts): after each action, does a transaction
// pooler keep the client on its server connection (pin it) until the state the action left is
// gone, so that another client of the same one-server pool waits? Each action is one scenario
// over the single pool: a takes the action, b (another client) asks for an answer within
// EVENTUALLY_MS while a still holds what it made, then a releases it and reads its backend pid
// in the two following transactions (the transcript shows whether they stayed on one server). On PostgreSQL every client has a backend: b is answered at
// once. Through a pooler: b answered means a does not pin; no answer means it pins; an error on
// a's side means the pooler refuses the action. Opt-in (--scenarios stress or 'stress/pinning-*'):
// a pinning pooler waits out b's deadline on every action.
//
// Not here: a message over 16 MB (pgbouncer's pkt_buf / max_packet_size questions). Sending
// one costs 16 MB per target and driver; it is left out, so the map has no row for it.
import { defineScenario, EVENTUALLY_MS, msg, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

interface PinningAction {
  /** The scenario id's tail: stress/pinning-after-<id>; the map's row reads it with dashes as spaces. */
  readonly id: string;
  readonly why: string;
  readonly docs: string;
  readonly setup?: readonly string[];
  readonly teardown?: readonly string[];
  /** a's step that makes the state (one: pinning-map.ts reads the step after it as the probe). */
  readonly take: readonly [StepSpec];
  /** a's steps that end it (none: it lasts the session). */
  readonly release: readonly StepSpec[];
}

const PROTOCOL = 'https://www.postgresql.org/docs/current/protocol-flow.html';

const PINNING_ACTIONS: readonly PinningAction[] = [
  {
    id: 'sql-prepare',
    why: 'A statement prepared with SQL PREPARE lives in the backend; a pooler that keeps the client on it until DEALLOCATE makes others wait, one that does not loses it.',
    docs: 'https://www.postgresql.org/docs/current/sql-prepare.html',
    take: [step('a', 'PREPARE {{st}} AS SELECT 1')],
    release: [step('a', 'DEALLOCATE {{st}}')],
  },
  {
    id: 'protocol-prepare',
    why: 'A named statement of the extended protocol (Parse) lives in the backend, as drivers cache them; a pooler may track it, pin the client, or lose it.',
    docs: PROTOCOL,
    take: [{ session: 'a', messages: [msg.parse('{{st}}', 'SELECT 1'), msg.sync()], expect: { messages: ['ParseComplete', 'ReadyForQuery:I'] } }],
    release: [{ session: 'a', messages: [msg.closeStatement('{{st}}'), msg.sync()], expect: { messages: ['CloseComplete', 'ReadyForQuery:I'] } }],
  },
  {
    id: 'copy-in',
    why: "While a COPY FROM STDIN is in progress the server waits for the client's data; the pooler must hold the server for it, and another client cannot use it meanwhile.",
    docs: 'https://www.postgresql.org/docs/current/sql-copy.html',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    take: [{ session: 'a', messages: [msg.query('COPY {{t}} (v) FROM STDIN')], until: 'CopyInResponse', expect: { messages: ['CopyInResponse'] } }],
    release: [
      {
        session: 'a',
        messages: [msg.copyData('1\n'), msg.copyDone()],
        until: 'ReadyForQuery',
        expect: { messages: ['CommandComplete', 'ReadyForQuery:I'] },
      },
    ],
  },
  {
    id: 'flush',
    why: 'Parse, Bind, Execute and a Flush without Sync: the server has answered, but the implicit transaction stays open until Sync; a pooler must keep the client on its server until then.',
    docs: PROTOCOL,
    take: [
      {
        session: 'a',
        messages: [msg.parse('', 'SELECT 1'), msg.bind(), msg.execute(), msg.flush()],
        until: 'CommandComplete',
        expect: { messages: ['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete'] },
      },
    ],
    release: [{ session: 'a', messages: [msg.sync()], expect: { messages: ['ReadyForQuery:I'] } }],
  },
  {
    id: 'temp-table',
    why: 'A temporary table lives in the backend for the session (or until dropped); a pooler either pins the client to it or lets the next client see it.',
    docs: 'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-TEMPORARY',
    take: [step('a', 'CREATE TEMP TABLE {{t}} (v int)')],
    release: [step('a', 'DROP TABLE {{t}}')],
  },
  {
    id: 'sequence-nextval',
    why: "nextval() makes currval() and lastval() session state of the backend; a pooler that pins the client after it keeps currval right, one that does not may answer another client's.",
    docs: 'https://www.postgresql.org/docs/current/functions-sequence.html',
    setup: ['CREATE SEQUENCE {{seq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
    take: [step('a', "SELECT nextval('{{seq}}')")],
    release: [],
  },
  {
    id: 'open-transaction',
    why: 'An open transaction (BEGIN) holds its backend until COMMIT: a transaction pooler pins the client for it, a statement pooler refuses it.',
    docs: 'https://www.postgresql.org/docs/current/sql-begin.html',
    take: [step('a', 'BEGIN')],
    release: [step('a', 'COMMIT')],
  },
  {
    id: 'declare-cursor',
    why: 'A cursor WITH HOLD outlives its transaction in the backend until CLOSE; a pooler pins the client to it or loses it for the next FETCH.',
    docs: 'https://www.postgresql.org/docs/current/sql-declare.html',
    take: [step('a', 'DECLARE {{c}} CURSOR WITH HOLD FOR SELECT 1')],
    release: [step('a', 'CLOSE {{c}}')],
  },
];

// pinning-map.ts reads a divergence by its step: the action is step 1, the probe step 2.
for (const x of PINNING_ACTIONS) if (x.take.length !== 1) throw new Error(`pinning action ${x.id}: its action must be one step`);

export default PINNING_ACTIONS.map((x) =>
  defineScenario({
    id: `stress/pinning-after-${x.id}`,
    category: 'stress',
    pool: 'single',
    why: x.why,
    docs: x.docs,
    ...(x.setup ? { setup: x.setup } : {}),
    ...(x.teardown ? { teardown: x.teardown } : {}),
    sessions: { a: {}, b: {} },
    steps: [
      ...x.take,
      // The probe: is another client served while a holds what it made? (pinning-map.ts reads this step's session, b.)
      step('b', "SELECT 'served'", { expect: { rows: [['served']] }, timeoutMs: EVENTUALLY_MS, label: 'another client, while a holds it' }),
      ...x.release,
      step('a', 'SELECT pg_backend_pid()', { label: 'a, the following transaction: its backend' }),
      step('a', 'SELECT pg_backend_pid()', { label: 'a, the one after: its backend' }),
    ],
  }),
);
