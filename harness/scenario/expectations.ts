import type { Notification, QueryResult, Session } from '../drivers/session.ts';
import { clip, type ServerMessage } from '../wire/messages.ts';
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
  if (r.kind === 'notification') return r.notification ? `notification ${show(r.notification.payload)}${r.notification.pid ? ` from pid ${r.notification.pid}` : ''}` : 'no notification';
  const q = r.result;
  const msgs = r.messages ? ` [${r.messages.map(messageLabel).join(', ')}]` : '';
  if (q.error) return `ERROR ${q.error.code}: ${q.error.message}${msgs}`;
  return `${q.rows.length ? `rows ${show(q.rows)}` : q.command ?? 'no rows'}${msgs}`;
}

/** ErrorResponse carries its SQLSTATE and ReadyForQuery its transaction status (I, T or E). */
export function messageLabel(m: ServerMessage): string {
  if (m.type === 'ErrorResponse') return `ErrorResponse:${m.code}`;
  if (m.type === 'ReadyForQuery') return `ReadyForQuery:${m.status}`;
  return m.type;
}

/** An expected label without a detail ('ReadyForQuery') accepts any ('ReadyForQuery:T'). */
const labelMatches = (expected: string, got: string) => expected === got || (!expected.includes(':') && got.startsWith(`${expected}:`));

function cellMatches(expected: Cell, actual: string | null, saved: ReadonlyMap<string, string>): boolean {
  if (expected === '*') return true;
  if (expected !== null && /^\$\w+$/.test(expected)) return actual === saved.get(expected.slice(1));
  return expected === actual;
}

function resolve(v: string, saved: ReadonlyMap<string, string>): string | undefined {
  return /^\$\w+$/.test(v) ? saved.get(v.slice(1)) : v;
}

/**
 * Checks a step's result against its expectation. Returns undefined when it holds, else what
 * was expected, in words. A step that expects nothing still fails on an unexpected error.
 */
export function check(expect: Expect | undefined, r: StepResult, saved: ReadonlyMap<string, string>, session?: Session, notices: readonly string[] = []): string | undefined {
  const e = expect ?? {};
  if (e.notices && show(notices) !== show(e.notices)) return `expected notices ${show(e.notices)}, received ${show(notices)}`;
  if (r.kind === 'notification') {
    if (e.notification === null) return r.notification ? `expected no notification, got payload ${show(r.notification.payload)}` : undefined;
    if (!r.notification) return 'expected a notification, none arrived before the deadline';
    if (e.notification?.payload !== undefined && r.notification.payload !== e.notification.payload) return `expected payload ${show(e.notification.payload)}`;
    if (e.notification?.pidEquals !== undefined) {
      const want = resolve(e.notification.pidEquals, saved);
      if (String(r.notification.pid) !== want) return `expected the notification's pid to be ${e.notification.pidEquals} (${want})`;
    }
    return undefined;
  }
  if (r.kind === 'query') {
    const q = r.result;
    if (e.messages) {
      const got = (r.messages ?? []).filter((m) => !['NoticeResponse', 'ParameterStatus', 'NotificationResponse'].includes(m.type)).map(messageLabel);
      if (got.length !== e.messages.length || !e.messages.every((x, i) => labelMatches(x, got[i]))) return `expected messages ${e.messages.join(', ')}`;
    } else if (e.error) {
      if (!q.error) return `expected ERROR ${e.error}`;
      if (q.error.code !== e.error) return `expected ERROR ${e.error}`;
    } else if (q.error) {
      return 'expected success';
    }
    if (e.rows) {
      const ok = q.rows.length === e.rows.length && e.rows.every((row, i) => row.length === q.rows[i].length && row.every((c, j) => cellMatches(c, q.rows[i][j], saved)));
      if (!ok) return `expected rows ${show(e.rows.map((row) => row.map((c) => (c && /^\$\w+$/.test(c) ? `${c}=${saved.get(c.slice(1))}` : c))))}`;
    }
    if (e.rowCount !== undefined && q.rows.length !== e.rowCount) return `expected ${e.rowCount} row(s)`;
    const first = q.rows[0]?.[0] ?? null;
    if (e.equals !== undefined && first !== resolve(e.equals, saved)) return `expected ${e.equals}${e.equals.startsWith('$') ? ` (${resolve(e.equals, saved)})` : ''}`;
    if (e.notEquals !== undefined && first === resolve(e.notEquals, saved)) return `expected a value other than ${e.notEquals} (${resolve(e.notEquals, saved)})`;
  }
  if (e.parameterStatus && session) {
    for (const [name, want] of Object.entries(e.parameterStatus)) {
      const got = session.parameterStatus(name) ?? null;
      const w = want === null ? null : resolve(want, saved) ?? want;
      if (got !== w) return `expected ParameterStatus ${name}=${show(w)}, driver holds ${show(got)}`;
    }
  }
  return undefined;
}
