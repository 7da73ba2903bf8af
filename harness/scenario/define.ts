// Sugar over the plain-data model for suite files written in TypeScript.
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import type { Bytes, Format, Value } from '../wire/bytes.ts';
import type { FrontendMessage } from '../wire/messages.ts';
import type { ScenarioSpec, StepSpecOf } from './model.ts';

/**
 * The deadline of a wait for something PostgreSQL makes happen at once (a notification
 * arriving, a crashed client's lock released). Generous, so a loaded machine is never taken
 * for a diverging pooler: only a pooler that diverges ever waits it out. Waits for something
 * that must NOT happen keep their own short windows.
 */
export const EVENTUALLY_MS = TIMEOUT_MS.eventually;

export function defineScenario(s: ScenarioSpec): ScenarioSpec {
  return s;
}

type SqlOptions = Omit<StepSpecOf<'sql'>, 'session' | 'sql'>;

/** A SQL step: step('a', 'SELECT 1', { expect: { rows: [['1']] } }). */
export function step(session: string, sql: string, opts: SqlOptions = {}): StepSpecOf<'sql'> {
  return { session, sql, ...opts };
}

/** The observer's SQL, straight to the database. */
export function observe(sql: string, opts: SqlOptions = {}): StepSpecOf<'sql'> {
  return { session: 'observer', sql, ...opts };
}

export const msg = {
  query: (sql: string): FrontendMessage => ({ type: 'Query', sql }),
  parse: (name: string, sql: string): FrontendMessage => ({ type: 'Parse', name, sql }),
  bind: (
    statement = '',
    params: Value[] = [],
    portal = '',
    formats: { readonly params?: Format[]; readonly results?: Format[] } = {},
  ): FrontendMessage => ({
    type: 'Bind',
    statement,
    params,
    portal,
    ...(formats.params ? { paramFormats: formats.params } : {}),
    ...(formats.results ? { resultFormats: formats.results } : {}),
  }),
  describeStatement: (name: string): FrontendMessage => ({ type: 'Describe', kind: 'S', name }),
  describePortal: (name = ''): FrontendMessage => ({ type: 'Describe', kind: 'P', name }),
  execute: (portal = '', maxRows = 0): FrontendMessage => ({ type: 'Execute', portal, maxRows }),
  closeStatement: (name: string): FrontendMessage => ({ type: 'Close', kind: 'S', name }),
  closePortal: (name = ''): FrontendMessage => ({ type: 'Close', kind: 'P', name }),
  flush: (): FrontendMessage => ({ type: 'Flush' }),
  sync: (): FrontendMessage => ({ type: 'Sync' }),
  terminate: (): FrontendMessage => ({ type: 'Terminate' }),
  copyData: (data: string | Bytes): FrontendMessage => ({ type: 'CopyData', data }),
  copyDone: (): FrontendMessage => ({ type: 'CopyDone' }),
  copyFail: (message: string): FrontendMessage => ({ type: 'CopyFail', message }),
  /** A fast-path call: the function by oid or signature ('lo_creat(integer)'). */
  functionCall: (fn: number | string, args: Value[] = [], resultFormat: Format = 'text'): FrontendMessage => ({
    type: 'FunctionCall',
    function: fn,
    args,
    resultFormat,
  }),
  /** A message with any type byte; `length` overrides the length word to frame it wrongly. */
  raw: (code: string, payload: string | Bytes = '', length?: number): FrontendMessage => ({
    type: 'RawMessage',
    code,
    payload,
    ...(length === undefined ? {} : { length }),
  }),
  /** Bytes sent as they are. */
  bytes: (hex: string): FrontendMessage => ({ type: 'RawBytes', hex }),
  /** A binary value: msg.bind('s', [msg.hex('0000000000000005')], '', { params: ['binary'] }). */
  hex: (hex: string): Bytes => ({ hex }),
};
