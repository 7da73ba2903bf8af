// The schema of a scenario as written (a YAML case file, or a suite file's data), derived from
// the model: each table below is typed as "a Field for every key of" its model interface, so a
// new step field, expectation, message type or session option does not compile until it has a
// schema here, and a key the model lacks is refused. A step kind's own fields are its entry's in
// step-kinds.ts (`fields`). Cross-references (sessions, saved values, background steps) are
// validate.ts's.
import { CAPABILITIES } from '../drivers/session.ts';
import { isSqlState } from '../kernel/errors.ts';
import { OBSERVER } from '../kernel/names.ts';
import { didYouMean, type FieldsOf, type ObjectSchema, type Schema } from '../kernel/schema.ts';
import type { KnownIssue } from '../poolers/known-issue.ts';
import { knownPoolerIds } from '../poolers/known-poolers.ts';
import { POOL_KINDS } from '../poolers/pooler-adapter.ts';
import { rangeProblem } from '../kernel/versions.ts';
import { ENTRY_FIELDS } from '../poolers/profile-file.ts';
import { MESSAGE_NAMES } from '../wire/messages.ts';
import { protocolNumber } from '../wire/protocol-version.ts';
import { int, name, oneOf, opt, pgText, req, rows, sqlState, text, texts } from './field-schemas.ts';
import { CATEGORIES, type DatabaseSpec, type Expect, type RoleSpec, type ScenarioSpec, type SessionSpec, type StepBase } from './model.ts';
import { STEP_KIND_NAMES, STEP_KINDS } from './step-kinds.ts';

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

const step: Schema = {
  kind: 'variants',
  what: 'step',
  variants: Object.fromEntries(
    STEP_KIND_NAMES.map((k): [string, ObjectSchema] => [k, { kind: 'object', fields: { ...STEP_BASE_FIELDS, ...STEP_KINDS[k].fields } }]),
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
