// The schema of a scenario as written (a YAML case file, or a suite file's data), derived from
// the model: each table below is typed as "a Field for every key of" its model interface, so a
// new step kind (StepKinds), step field, expectation, message type or session option does not
// compile until it has a schema here, and a key the model lacks is refused. Cross-references
// (sessions, saved values, background steps) are validate.ts's.
import { CAPABILITIES } from '../drivers/session.ts';
import { isSqlState } from '../kernel/errors.ts';
import { OBSERVER } from '../kernel/names.ts';
import { didYouMean, type Field, type FieldsOf, type ObjectSchema, type Schema } from '../kernel/schema.ts';
import type { KnownIssue } from '../poolers/known-issue.ts';
import { knownPoolerIds } from '../poolers/known-poolers.ts';
import { POOL_KINDS } from '../poolers/pooler-adapter.ts';
import { rangeProblem } from '../kernel/versions.ts';
import { ENTRY_FIELDS } from '../poolers/profile-file.ts';
import { hexProblem } from '../wire/bytes.ts';
import { MESSAGE_NAMES, type FrontendMessage } from '../wire/messages.ts';
import { protocolNumber } from '../wire/protocol-version.ts';
import {
  CATEGORIES,
  type DatabaseSpec,
  type Expect,
  type RoleSpec,
  type ScenarioSpec,
  type SessionSpec,
  type StepBase,
  type StepKind,
  type StepKinds,
} from './model.ts';

const req = (schema: Schema): Field => ({ schema, required: true });
const opt = (schema: Schema): Field => ({ schema });

const text: Schema = { kind: 'string' };
const texts: Schema = { kind: 'list', of: text };
/** Text compared with what PostgreSQL sends: 1 and true stand for "1" and "t" (kernel/schema.ts). */
const pgText: Schema = { kind: 'string', scalars: true };
const hex: Schema = { kind: 'string', check: hexProblem };
/** Bytes, as hex: a binary-format value, binary COPY data, a hand-made frame. */
const bytes: Schema = { kind: 'object', fields: { hex: req(hex) } };
const cell: Schema = {
  kind: 'either',
  of: [pgText, { kind: 'literal', value: null }, bytes],
  describe: 'a value as PostgreSQL prints it, null, or bytes ({ hex: "0005" })',
};
const textOrBytes: Schema = { kind: 'either', of: [text, bytes], describe: 'text, or bytes ({ hex: "0005" })' };
const format: Schema = { kind: 'string', oneOf: ['text', 'binary'] };
/** Format codes as Bind and FunctionCall write them: none (all text), one for all, or one each; written as given. */
const formats: Schema = { kind: 'list', of: format };
const row: Schema = { kind: 'either', of: [{ kind: 'list', of: cell }], describe: 'a row: a list of values (rows: [["1", "x"]] is one row of two)' };
const rows: Schema = { kind: 'list', of: row };
const oneOf = (values: readonly string[]): Schema => ({ kind: 'string', oneOf: values });

const sqlState: Schema = {
  kind: 'string',
  check: (v) => (isSqlState(v) ? undefined : `${JSON.stringify(v)} is not a SQLSTATE (five characters, e.g. 42P05)`),
};
const name: Schema = {
  kind: 'string',
  check: (v) => (/^\w+$/.test(v) ? undefined : `"${v}" is not a name: letters, digits and _ (it is read back as $${v.replace(/\W/g, '_')})`),
};
const int = (min: number, max?: number): Schema => ({ kind: 'number', integer: true, min, max });

// Left out of the list expect.messages is compared with (expectations.ts): each has its own expectation.
const ASIDE: Readonly<Record<string, string>> = {
  NoticeResponse: 'expect.notices',
  ParameterStatus: 'expect.parameterStatus',
  NotificationResponse: 'expect.notification',
};

/** 'ParseComplete', 'ErrorResponse:42P05', 'ReadyForQuery:T' (expectations.ts messageLabel). */
function labelProblem(label: string): string | undefined {
  const [message] = label.split(':', 1);
  const detail = label.includes(':') ? label.slice(message.length + 1) : undefined;
  if (!(MESSAGE_NAMES as readonly string[]).includes(message)) return `unknown message "${message}"${didYouMean(message, MESSAGE_NAMES)}`;
  if (ASIDE[message]) return `${message} is not compared in expect.messages (it may come at any point); use ${ASIDE[message]}`;
  if (detail === undefined) return undefined;
  if (message === 'ReadyForQuery') return ['I', 'T', 'E'].includes(detail) ? undefined : `ReadyForQuery's status is I, T or E, not "${detail}"`;
  if (message === 'ErrorResponse')
    return isSqlState(detail) ? undefined : `"${label.slice(message.length + 1)}" is not a SQLSTATE (e.g. ErrorResponse:42P05)`;
  if (message === 'BackendKeyData')
    return /^\d+$/.test(detail) && Number(detail) >= 4 && Number(detail) <= 256
      ? undefined
      : `BackendKeyData's detail is its key's length in bytes, 4 to 256, not "${detail}"`;
  if (message === 'NegotiateProtocolVersion') {
    return /^\d+\.\d+(:(_pq_\.[^,:]+(,_pq_\.[^,:]+)*)?)?$/.test(detail)
      ? undefined
      : `NegotiateProtocolVersion's detail is the version the server offers, e.g. 3.0, then maybe the options it did not recognise (3.2:_pq_.a,_pq_.b; 3.2: for none), not "${detail}"`;
  }
  return `only ErrorResponse (a SQLSTATE), ReadyForQuery (a status: I, T or E), BackendKeyData (a key length) and NegotiateProtocolVersion (a version) take ":${detail}"`;
}

const EXPECT_OWN_FIELDS: FieldsOf<Omit<Expect, 'postgres'>> = {
  error: opt(sqlState),
  rows: opt(rows),
  rowCount: opt(int(0)),
  equals: opt(pgText),
  notEquals: opt(pgText),
  parameterStatus: opt({
    kind: 'object',
    fields: {},
    rest: { kind: 'either', of: [pgText, { kind: 'literal', value: null }], describe: 'a value, or null (never reported)' },
  }),
  messages: opt({ kind: 'list', of: { kind: 'string', check: labelProblem } }),
  notices: opt({ kind: 'list', of: sqlState }),
  commandTags: opt(texts),
  parameterStatusMessages: opt({
    kind: 'list',
    of: { kind: 'either', of: [{ kind: 'list', of: pgText, min: 2, max: 2 }], describe: 'a [name, value] pair, e.g. [TimeZone, UTC]' },
  }),
  notification: opt({
    kind: 'either',
    describe: 'null (none may arrive), or { payload?, pidEquals? }',
    of: [
      { kind: 'literal', value: null },
      { kind: 'object', fields: { payload: opt(text), pidEquals: opt(text) } },
    ],
  }),
  anyOrder: opt({ kind: 'literal', value: true }),
};

const EXPECT_FIELDS: FieldsOf<Expect> = {
  ...EXPECT_OWN_FIELDS,
  // Keyed by PostgreSQL release range, as profiles write them ('>=17', '<18', '15 - 16').
  postgres: opt({
    kind: 'object',
    fields: {},
    rest: { kind: 'object', fields: EXPECT_OWN_FIELDS },
    check: (v) => Object.keys(v).map(rangeProblem).find(Boolean),
  }),
};

const STEP_BASE_FIELDS: FieldsOf<StepBase> = {
  session: req(text),
  background: opt(name),
  save: opt(name),
  savePid: opt(name),
  expect: opt({ kind: 'object', fields: EXPECT_FIELDS }),
  timeoutMs: opt(int(1)),
  label: opt(text),
};

type MessageType = FrontendMessage['type'];
type MessageFields = { readonly [T in MessageType]: FieldsOf<Omit<Extract<FrontendMessage, { readonly type: T }>, 'type'>> };

/** Each frontend message's own fields (wire/messages.ts); `type` picks the message. */
const MESSAGE_FIELDS: MessageFields = {
  Query: { sql: req(text) },
  Parse: { name: opt(text), sql: req(text), types: opt({ kind: 'list', of: int(0) }) },
  Bind: { portal: opt(text), statement: opt(text), params: opt({ kind: 'list', of: cell }), paramFormats: opt(formats), resultFormats: opt(formats) },
  Describe: { kind: req(oneOf(['S', 'P'])), name: opt(text) },
  Execute: { portal: opt(text), maxRows: opt(int(0)) },
  Close: { kind: req(oneOf(['S', 'P'])), name: opt(text) },
  Flush: {},
  Sync: {},
  Terminate: {},
  CopyData: { data: req(textOrBytes) },
  CopyDone: {},
  CopyFail: { message: req(text) },
  FunctionCall: {
    function: req({ kind: 'either', of: [int(0, 0xffffffff), text], describe: "the function's oid, or its signature (lo_creat(integer))" }),
    args: opt({ kind: 'list', of: cell }),
    argFormats: opt(formats),
    resultFormat: opt(format),
  },
  RawMessage: {
    code: req({
      kind: 'string',
      check: (v) =>
        v.length === 1 && v.charCodeAt(0) < 256 ? undefined : `a message's type is one byte, one character (e.g. Q), not ${JSON.stringify(v)}`,
    }),
    payload: opt(textOrBytes),
    length: opt({ kind: 'number', integer: true, min: -0x80000000, max: 0x7fffffff }),
  },
  RawBytes: { hex: req(hex) },
};

const message: Schema = {
  kind: 'variants',
  what: 'message',
  tag: 'type',
  variants: Object.fromEntries(
    Object.entries(MESSAGE_FIELDS).map(([type, fields]): [string, ObjectSchema] => [
      type,
      {
        kind: 'object',
        fields: { type: req({ kind: 'literal', value: type }), ...fields },
      },
    ]),
  ),
};

/** Each kind's own fields (model.ts StepKinds); the one a step has names its kind. */
const STEP_KIND_FIELDS: { readonly [K in StepKind]: FieldsOf<StepKinds[K]> } = {
  sql: { sql: req(text), params: opt({ kind: 'list', of: pgText }) },
  named: { named: req({ kind: 'object', fields: { name: req(text), sql: req(text), params: opt({ kind: 'list', of: pgText }) } }) },
  messages: {
    messages: req({ kind: 'list', of: message, min: 1 }),
    until: opt(oneOf([...MESSAGE_NAMES, 'close'])),
    splitWrites: opt({ kind: 'list', of: int(1) }),
  },
  cancel: {
    cancel: req({
      kind: 'either',
      describe: 'true (cancel through the driver), or { pid: $saved, secret: own | wrong, hangUp: true }',
      of: [
        { kind: 'literal', value: true },
        { kind: 'object', fields: { pid: req(text), secret: req(oneOf(['own', 'wrong'])), hangUp: opt({ kind: 'literal', value: true }) } },
      ],
    }),
  },
  read: {
    read: req({
      kind: 'either',
      describe: `a message to read up to (e.g. ReadyForQuery), close (until the server closes), or { forMs: N }`,
      of: [oneOf([...MESSAGE_NAMES, 'close']), { kind: 'object', fields: { forMs: req(int(1)) } }],
    }),
  },
  connect: { connect: req({ kind: 'literal', value: true }) },
  disconnect: { disconnect: req(oneOf(['terminate', 'abrupt'])) },
  abandonLogin: { abandonLogin: req({ kind: 'literal', value: true }) },
  waitNotification: { waitNotification: req(text) },
  await: { await: req(name) },
  waitFor: { waitFor: req({ kind: 'object', fields: { sql: req(text), rows: req(rows) } }) },
  admin: {
    admin: req({
      kind: 'object',
      fields: {
        pooler: req(text),
        command: req(text),
        pool: opt(oneOf(POOL_KINDS)),
        columns: opt({ kind: 'list', of: text, min: 1 }),
        modes: opt({ kind: 'list', of: text, min: 1 }),
        until: opt(rows),
      },
    }),
  },
  stress: { stress: req({ kind: 'object', fields: { clients: req(int(1)), rounds: req(int(1)), sequence: req(text) } }) },
  manyRoles: { manyRoles: req({ kind: 'object', fields: { roles: req(int(1)), drop: req(int(1)), prefix: req(text) } }) },
};

/** The step kinds' names, from the table the compiler holds to StepKinds. */
export const STEP_KIND_NAMES = Object.keys(STEP_KIND_FIELDS) as StepKind[];

const step: Schema = {
  kind: 'variants',
  what: 'step',
  variants: Object.fromEntries(
    STEP_KIND_NAMES.map((k): [string, ObjectSchema] => [k, { kind: 'object', fields: { ...STEP_BASE_FIELDS, ...STEP_KIND_FIELDS[k] } }]),
  ),
};

const SESSION_FIELDS: FieldsOf<SessionSpec> = {
  pool: opt(oneOf(POOL_KINDS)),
  applicationName: opt(text),
  user: opt(oneOf(['app', 'md5', 'trust', 'empty', 'cert'])),
  role: opt(text),
  database: opt(text),
  password: opt({
    kind: 'either',
    describe: 'wrong (a wrong password), or { text: ... } (that password)',
    of: [
      { kind: 'literal', value: 'wrong' },
      { kind: 'object', fields: { text: req(text) } },
    ],
  }),
  tls: opt({ kind: 'boolean' }),
  ipv6: opt({ kind: 'literal', value: true }),
  startupParams: opt({ kind: 'object', fields: {}, rest: text }),
  protocol: opt({
    kind: 'either',
    describe: 'a protocol version: "3.2" (quoted: YAML reads 3.2 as a number), or 196610',
    of: [
      { kind: 'string', check: (v) => (protocolNumber(v) ? undefined : `"${v}" is not a protocol version: major.minor, e.g. "3.2"`) },
      { kind: 'number', integer: true, min: 65536, max: 0x7fffffff },
    ],
  }),
};

/** A role's or database's key is its name's template ({{r}}): a name as templates.ts reads it. */
const objectKey = (v: Record<string, unknown>) =>
  Object.keys(v)
    .map((k) => (/^[a-zA-Z_]\w*$/.test(k) ? undefined : `"${k}" is not a name: letters, digits and _, as in {{${k.replace(/\W/g, '_')}}}`))
    .find(Boolean);

const ROLE_FIELDS: FieldsOf<RoleSpec> = {
  password: opt(text),
  login: opt({ kind: 'boolean' }),
  connectionLimit: opt(int(-1)),
  absent: opt({ kind: 'literal', value: true }),
};

const DATABASE_FIELDS: FieldsOf<DatabaseSpec> = {
  absent: opt({ kind: 'literal', value: true }),
};

// A known issue is a profile entry for this one case (poolers/known-issue.ts): its fields are a
// profile entry's, less what names scenarios, plus the pooler and its modes.
const { scenarios: _scenarios, traits: _traits, ...ENTRY_CONDITIONS } = ENTRY_FIELDS;
const KNOWN_FIELDS: FieldsOf<KnownIssue> = {
  // A pooler poolcheck does not know may be one a profile file describes; a near miss is a typo.
  pooler: req({
    kind: 'string',
    check: (v) => {
      if (!/^[a-z][a-z0-9-]*$/.test(v)) return 'a pooler id is lower-case letters, digits and dashes';
      const hint = knownPoolerIds.includes(v) ? '' : didYouMean(v, knownPoolerIds);
      return hint ? `unknown pooler "${v}"${hint}` : undefined;
    },
  }),
  modes: opt({ kind: 'list', of: text, min: 1 }),
  ...ENTRY_CONDITIONS,
};

const SCENARIO_FIELDS: FieldsOf<ScenarioSpec> = {
  id: req({
    kind: 'string',
    check: (v) => (/^[a-z0-9-]+\/[a-z0-9-]+$/.test(v) ? undefined : `id "${v}" must look like <category>/<name> in lower-case-with-dashes`),
  }),
  category: req(oneOf(CATEGORIES)),
  why: req({ kind: 'string', check: (v) => (v.trim() ? undefined : '`why` is the user-visible consequence in one line: it cannot be empty') }),
  docs: opt(text),
  pool: req(oneOf(POOL_KINDS)),
  singleHeld: opt({ kind: 'literal', value: 'wait' }),
  needs: opt({ kind: 'list', of: oneOf(Object.keys(CAPABILITIES)) }),
  roles: opt({ kind: 'object', fields: {}, rest: { kind: 'object', fields: ROLE_FIELDS }, check: objectKey }),
  databases: opt({ kind: 'object', fields: {}, rest: { kind: 'object', fields: DATABASE_FIELDS }, check: objectKey }),
  setup: opt(texts),
  teardown: opt(texts),
  sessions: req({
    kind: 'object',
    fields: {},
    rest: { kind: 'object', fields: SESSION_FIELDS },
    check: (v) => (OBSERVER in v ? `"${OBSERVER}" is reserved for the direct ground-truth connection` : undefined),
  }),
  steps: req({ kind: 'list', of: step, min: 1 }),
  known: opt({ kind: 'list', of: { kind: 'object', fields: KNOWN_FIELDS } }),
  poolerSettings: opt({ kind: 'object', fields: {}, rest: { kind: 'object', fields: {}, rest: text } }),
};

export const SCENARIO_SCHEMA: Schema = {
  kind: 'object',
  fields: SCENARIO_FIELDS,
  check: (v) =>
    typeof v.id === 'string' && typeof v.category === 'string' && !v.id.startsWith(`${v.category}/`)
      ? `id "${v.id}" must start with its category "${v.category}/"`
      : undefined,
};
