import type { DbError, Notification, QueryResult, Session } from '../drivers/session.ts';
import type { DivergenceKind } from '../kernel/divergence.ts';
import { clip } from '../wire/clip.ts';
import { sameValue, textOf, type Value } from '../wire/bytes.ts';
import type { ServerMessage } from '../wire/messages.ts';
import { protocolText } from '../wire/protocol-version.ts';
import { inRange } from '../kernel/versions.ts';
import type { Cell, Expect } from './model.ts';

/** What one step produced. */
export type StepResult =
  | { readonly kind: 'query'; readonly result: QueryResult; readonly messages?: readonly ServerMessage[] }
  | { readonly kind: 'notification'; readonly notification: Notification | undefined }
  | { readonly kind: 'done' };

export const show = (v: unknown) => JSON.stringify(v);

/** One-line summary of a result, as shown next to the expectation. */
export function summarize(r: StepResult): string {
  return clip(summarizeFull(r), 400);
}

function summarizeFull(r: StepResult): string {
  if (r.kind === 'done') return 'done';
  if (r.kind === 'notification')
    return r.notification
      ? `notification ${show(r.notification.payload)}${r.notification.pid ? ` from pid ${r.notification.pid}` : ''}`
      : 'no notification';
  const q = r.result;
  const msgs = r.messages ? ` [${r.messages.map(messageLabel).join(', ')}]` : '';
  if (q.error) return `ERROR ${q.error.code}: ${q.error.message}${msgs}`;
  return `${q.rows.length ? `rows ${show(q.rows)}` : (q.command ?? 'no rows')}${msgs}`;
}

/**
 * ErrorResponse carries its SQLSTATE, ReadyForQuery its transaction status (I, T or E),
 * BackendKeyData its key's length in bytes, NegotiateProtocolVersion the version offered and,
 * when there are any, the options it did not recognise ('NegotiateProtocolVersion:3.0:_pq_.x').
 */
export function messageLabel(m: ServerMessage): string {
  switch (m.type) {
    case 'ErrorResponse':
      return `ErrorResponse:${m.code}`;
    case 'ReadyForQuery':
      return `ReadyForQuery:${m.status}`;
    case 'BackendKeyData':
      return `BackendKeyData:${m.key.hex.length / 2}`;
    case 'NegotiateProtocolVersion':
      return `NegotiateProtocolVersion:${protocolText(m.version)}${m.options.length ? `:${m.options.join(',')}` : ''}`;
    default:
      return m.type;
  }
}

/**
 * An expected label without a detail ('ReadyForQuery') accepts any ('ReadyForQuery:T');
 * NegotiateProtocolVersion's options are compared only where the label names them ('3.2:' for none).
 */
function labelMatches(expected: string, got: string): boolean {
  if (expected === got || (!expected.includes(':') && got.startsWith(`${expected}:`))) return true;
  const [name, version, options] = expected.split(':');
  if (name !== 'NegotiateProtocolVersion') return false;
  const [gotName, gotVersion, gotOptions = ''] = got.split(':');
  return gotName === name && gotVersion === version && (options === undefined || options === gotOptions);
}

/** Bytes match only bytes; a saved value (text) matches bytes saved earlier (as \x and hex). */
function cellMatches(expected: Cell, actual: Value, saved: ReadonlyMap<string, string>): boolean {
  if (expected === '*') return true;
  if (typeof expected === 'string' && /^\$\w+$/.test(expected)) return textOf(actual) === saved.get(expected.slice(1));
  return sameValue(expected, actual);
}

function resolve(v: string, saved: ReadonlyMap<string, string>): string | undefined {
  return /^\$\w+$/.test(v) ? saved.get(v.slice(1)) : v;
}

/** An expectation that did not hold: what kind of difference, what was expected in words, the SQLSTATE seen. */
export interface Mismatch {
  readonly kind: DivergenceKind;
  readonly text: string;
  readonly sqlstate?: string;
}

const FATAL = 'FATAL';

/** Which kind of difference an error result is: a FATAL one closed the connection. */
function errorKind(error: DbError, otherwise: DivergenceKind): Mismatch['kind'] {
  return error.severity === FATAL ? 'closed' : otherwise;
}

/** A reply message list that differs from PostgreSQL's, by what differs most. */
function messagesMismatch(expected: readonly string[], messages: readonly ServerMessage[]): Mismatch {
  const text = `expected messages ${expected.join(', ')}`;
  const errors = messages.flatMap((m) => (m.type === 'ErrorResponse' ? [m] : []));
  const fatal = errors.find((m) => m.severity === FATAL);
  if (fatal) return { kind: 'closed', text, sqlstate: fatal.code ?? undefined };
  const expectedErrors = expected.filter((x) => x.startsWith('ErrorResponse'));
  if (errors.length && !expectedErrors.length) return { kind: 'error', text, sqlstate: errors[0].code ?? undefined };
  if (!errors.length && expectedErrors.length) return { kind: 'no-error', text };
  if (errors.length && expectedErrors.some((x) => x.includes(':') && errors.every((m) => `ErrorResponse:${m.code}` !== x)))
    return { kind: 'sqlstate', text, sqlstate: errors[0].code ?? undefined };
  return { kind: 'messages', text };
}

function queryMismatch(e: Expect, r: Extract<StepResult, { kind: 'query' }>, saved: ReadonlyMap<string, string>): Mismatch | undefined {
  const q = r.result;
  if (e.messages) {
    const got = (r.messages ?? []).filter((m) => !['NoticeResponse', 'ParameterStatus', 'NotificationResponse'].includes(m.type)).map(messageLabel);
    if (got.length !== e.messages.length || !e.messages.every((x, i) => labelMatches(x, got[i])))
      return messagesMismatch(e.messages, r.messages ?? []);
  } else if (e.error) {
    if (!q.error) return { kind: 'no-error', text: `expected ERROR ${e.error}` };
    if (q.error.code !== e.error) return { kind: errorKind(q.error, 'sqlstate'), text: `expected ERROR ${e.error}`, sqlstate: q.error.code };
  } else if (q.error) {
    return { kind: errorKind(q.error, 'error'), text: 'expected success', sqlstate: q.error.code };
  }
  const rows = (text: string): Mismatch => ({ kind: 'rows', text });
  if (e.rows) {
    const ok =
      q.rows.length === e.rows.length &&
      e.rows.every((row, i) => row.length === q.rows[i].length && row.every((c, j) => cellMatches(c, q.rows[i][j], saved)));
    if (!ok)
      return rows(
        `expected rows ${show(e.rows.map((row) => row.map((c) => (typeof c === 'string' && /^\$\w+$/.test(c) ? `${c}=${saved.get(c.slice(1))}` : c))))}`,
      );
  }
  if (e.commandTags && show(q.tags ?? []) !== show(e.commandTags))
    return { kind: 'messages', text: `expected command tags ${show(e.commandTags)}, got ${show(q.tags ?? [])}` };
  if (e.rowCount !== undefined && q.rows.length !== e.rowCount) return rows(`expected ${e.rowCount} row(s)`);
  // Compared as text: a binary value reads as PostgreSQL prints a bytea (\x and hex), as it is saved.
  const first = textOf(q.rows[0]?.[0] ?? null);
  if (e.equals !== undefined && first !== resolve(e.equals, saved))
    return rows(`expected ${e.equals}${e.equals.startsWith('$') ? ` (${resolve(e.equals, saved)})` : ''}`);
  if (e.notEquals !== undefined && first === resolve(e.notEquals, saved))
    return rows(`expected a value other than ${e.notEquals} (${resolve(e.notEquals, saved)})`);
  return undefined;
}

function notificationMismatch(e: Expect, n: Notification | undefined, saved: ReadonlyMap<string, string>): Mismatch | undefined {
  const differs = (text: string): Mismatch => ({ kind: 'notification', text });
  if (e.notification === null) return n ? differs(`expected no notification, got payload ${show(n.payload)}`) : undefined;
  if (!n) return differs('expected a notification, none arrived before the deadline');
  if (e.notification?.payload !== undefined && n.payload !== e.notification.payload)
    return differs(`expected payload ${show(e.notification.payload)}`);
  if (e.notification?.pidEquals !== undefined) {
    const want = resolve(e.notification.pidEquals, saved);
    if (String(n.pid) !== want) return differs(`expected the notification's pid to be ${e.notification.pidEquals} (${want})`);
  }
  return undefined;
}

/** What a session received during a step beside its result, where the driver reports it. */
export interface Aside {
  /** SQLSTATEs of NoticeResponses, in order. */
  readonly notices?: readonly string[];
  /** ParameterStatus messages as [name, value], in order. */
  readonly parameterStatuses?: readonly (readonly [string, string])[];
}

/** `got` sorted as `expected` is, where the order does not count, so one pairwise comparison serves both. */
function inOrderOf<T>(expected: readonly T[], got: readonly T[], same: (e: T, g: T) => boolean, anyOrder: boolean | undefined): readonly T[] {
  if (!anyOrder) return got;
  const left = [...got];
  const matched = expected.flatMap((e) => {
    const i = left.findIndex((g) => same(e, g));
    return i < 0 ? [] : left.splice(i, 1);
  });
  return [...matched, ...left];
}

function parameterStatusMessagesMismatch(
  e: Expect,
  got: readonly (readonly [string, string])[],
  saved: ReadonlyMap<string, string>,
): Mismatch | undefined {
  const expected = e.parameterStatusMessages ?? [];
  const same = (x: readonly [string, string], g: readonly [string, string]) => x[0] === g[0] && cellMatches(x[1], g[1], saved);
  const sorted = inOrderOf(expected, got, same, e.anyOrder);
  const equal = expected.length === sorted.length && expected.every((x, i) => same(x, sorted[i]));
  return equal
    ? undefined
    : {
        kind: 'parameter-status',
        text: `expected ParameterStatus messages ${show(expected)}${e.anyOrder ? ' in any order' : ''}, received ${show(got)}`,
      };
}

/**
 * The expectation for the PostgreSQL release that runs: the fields of a matching range
 * (`postgres: { '>=17': {...} }`) take the place of the step's own; the first match wins.
 */
export function forPostgres(e: Expect | undefined, version: string | null): Expect | undefined {
  if (!e?.postgres) return e;
  const { postgres, ...own } = e;
  const match = Object.entries(postgres).find(([range]) => inRange(version, range));
  return match ? { ...own, ...match[1] } : own;
}

/** Every form an expectation takes across PostgreSQL releases, for what a driver needs and what a case refers to. */
export const expectVariants = (e: Expect | undefined): readonly Expect[] => (e ? [e, ...Object.values(e.postgres ?? {})] : []);

/**
 * Checks a step's result against its expectation. Returns undefined when it holds, else what
 * differs. A step that expects nothing still fails on an unexpected error.
 */
export function check(
  expect: Expect | undefined,
  r: StepResult,
  saved: ReadonlyMap<string, string>,
  session?: Session,
  aside: Aside = {},
): Mismatch | undefined {
  const e = expect ?? {};
  const notices = aside.notices ?? [];
  if (e.notices && show(inOrderOf(e.notices, notices, (x, g) => x === g, e.anyOrder)) !== show(e.notices)) {
    return { kind: 'notices', text: `expected notices ${show(e.notices)}${e.anyOrder ? ' in any order' : ''}, received ${show(notices)}` };
  }
  if (r.kind === 'notification') return notificationMismatch(e, r.notification, saved);
  if (r.kind === 'query') {
    const m = queryMismatch(e, r, saved);
    if (m) return m;
  }
  if (e.parameterStatusMessages) {
    const m = parameterStatusMessagesMismatch(e, aside.parameterStatuses ?? [], saved);
    if (m) return m;
  }
  if (e.parameterStatus && session) {
    for (const [name, want] of Object.entries(e.parameterStatus)) {
      const got = session.parameterStatus(name) ?? null;
      const w = want === null ? null : (resolve(want, saved) ?? want);
      if (got !== w) return { kind: 'parameter-status', text: `expected ParameterStatus ${name}=${show(w)}, driver holds ${show(got)}` };
    }
  }
  return undefined;
}
