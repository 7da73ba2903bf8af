// Frontend messages as plain data, their encoding (pg-protocol's serializer) and the one-line
// rendering used in transcripts. Message formats:
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import { serialize } from 'pg-protocol';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';

export type FrontendMessage =
  | { readonly type: 'Query'; readonly sql: string }
  | { readonly type: 'Parse'; readonly name?: string; readonly sql: string; readonly types?: readonly number[] }
  | { readonly type: 'Bind'; readonly portal?: string; readonly statement?: string; readonly params?: readonly (string | null)[] }
  | { readonly type: 'Describe'; readonly kind: 'S' | 'P'; readonly name?: string }
  | { readonly type: 'Execute'; readonly portal?: string; readonly maxRows?: number }
  | { readonly type: 'Close'; readonly kind: 'S' | 'P'; readonly name?: string }
  | { readonly type: 'Flush' }
  | { readonly type: 'Sync' }
  | { readonly type: 'Terminate' }
  | { readonly type: 'CopyData'; readonly data: string }
  | { readonly type: 'CopyDone' }
  | { readonly type: 'CopyFail'; readonly message: string };

export type FrontendMessageType = FrontendMessage['type'];

export function encode(m: FrontendMessage): Buffer {
  switch (m.type) {
    case 'Query': return serialize.query(m.sql); // Q
    case 'Parse': return serialize.parse({ name: m.name ?? '', text: m.sql, types: [...(m.types ?? [])] }); // P
    case 'Bind': return serialize.bind({ portal: m.portal ?? '', statement: m.statement ?? '', values: [...(m.params ?? [])] }); // B
    case 'Describe': return serialize.describe({ type: m.kind, name: m.name ?? '' }); // D
    case 'Execute': return serialize.execute({ portal: m.portal ?? '', rows: m.maxRows ?? 0 }); // E
    case 'Close': return serialize.close({ type: m.kind, name: m.name ?? '' }); // C
    case 'Flush': return serialize.flush(); // H
    case 'Sync': return serialize.sync(); // S
    case 'Terminate': return serialize.end(); // X
    case 'CopyData': return serialize.copyData(Buffer.from(m.data)); // d
    case 'CopyDone': return serialize.copyDone(); // c
    case 'CopyFail': return serialize.copyFail(m.message); // f
  }
}

/** Long values (a 16 MB query) are shown by their head and length, so transcripts stay readable. */
export function clip(s: string, max = 300): string {
  return s.length <= max ? s : `${s.slice(0, 120)}...(${s.length} chars)`;
}

const q = (s: string) => JSON.stringify(clip(s));

export function renderFrontend(m: FrontendMessage): string {
  switch (m.type) {
    case 'Query': return `Query(${q(m.sql)})`;
    case 'Parse': return `Parse(stmt=${q(m.name ?? '')}, query=${q(m.sql)})`;
    case 'Bind': return `Bind(portal=${q(m.portal ?? '')}, stmt=${q(m.statement ?? '')}, params=${JSON.stringify(m.params ?? [])})`;
    case 'Describe': return `Describe(${m.kind === 'S' ? 'stmt' : 'portal'}=${q(m.name ?? '')})`;
    case 'Execute': return `Execute(portal=${q(m.portal ?? '')}, rows=${m.maxRows ?? 0})`;
    case 'Close': return `Close(${m.kind === 'S' ? 'stmt' : 'portal'}=${q(m.name ?? '')})`;
    case 'CopyData': return `CopyData(${q(m.data)})`;
    case 'CopyFail': return `CopyFail(${q(m.message)})`;
    default: return m.type;
  }
}

/** A backend message reduced to plain data: what scenarios expect and transcripts show. */
export interface ServerMessage {
  /** Protocol name, e.g. ParseComplete, ErrorResponse, ReadyForQuery. */
  readonly type: string;
  readonly fields?: Readonly<Record<string, string | number | null | readonly (string | null)[]>>;
}

const names: Record<string, string> = {
  parseComplete: 'ParseComplete', bindComplete: 'BindComplete', closeComplete: 'CloseComplete', noData: 'NoData',
  portalSuspended: 'PortalSuspended', emptyQuery: 'EmptyQueryResponse', copyDone: 'CopyDone', copyData: 'CopyData',
  rowDescription: 'RowDescription', parameterDescription: 'ParameterDescription', parameterStatus: 'ParameterStatus',
  backendKeyData: 'BackendKeyData', notification: 'NotificationResponse', readyForQuery: 'ReadyForQuery',
  commandComplete: 'CommandComplete', dataRow: 'DataRow', copyInResponse: 'CopyInResponse', copyOutResponse: 'CopyOutResponse',
  authenticationOk: 'AuthenticationOk', authenticationMD5Password: 'AuthenticationMD5Password',
  authenticationCleartextPassword: 'AuthenticationCleartextPassword', authenticationSASL: 'AuthenticationSASL',
  authenticationSASLContinue: 'AuthenticationSASLContinue', authenticationSASLFinal: 'AuthenticationSASLFinal',
  error: 'ErrorResponse', notice: 'NoticeResponse',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toServerMessage(raw: BackendMessage): ServerMessage {
  const m = raw as any;
  const type = names[m.name] ?? m.name;
  switch (m.name) {
    case 'error': case 'notice':
      return { type, fields: { severity: m.severity ?? null, code: m.code ?? null, message: m.message ?? null } };
    case 'parameterStatus': return { type, fields: { name: m.parameterName, value: m.parameterValue } };
    case 'backendKeyData': return { type, fields: { pid: m.processID, key: m.secretKey } };
    case 'notification': return { type, fields: { pid: m.processId, channel: m.channel, payload: m.payload } };
    case 'readyForQuery': return { type, fields: { status: m.status } };
    case 'commandComplete': return { type, fields: { tag: m.text } };
    case 'dataRow': return { type, fields: { values: m.fields } };
    case 'copyData': return { type, fields: { data: (m.chunk as Buffer).toString('utf8') } };
    case 'rowDescription': return { type, fields: { columns: m.fields.map((f: { name: string }) => f.name) } };
    case 'parameterDescription': return { type, fields: { types: m.dataTypeIDs.map(String) } };
    default: return { type };
  }
}

export function renderBackend(m: ServerMessage): string {
  const f = m.fields;
  if (!f) return m.type;
  switch (m.type) {
    case 'ErrorResponse': case 'NoticeResponse': return `${m.type}(S=${f.severity}, C=${f.code}, M=${q(String(f.message))})`;
    case 'ParameterStatus': return `ParameterStatus(${f.name}=${q(String(f.value))})`;
    case 'BackendKeyData': return `BackendKeyData(pid=${f.pid}, key=<secret>)`;
    case 'NotificationResponse': return `NotificationResponse(pid=${f.pid}, channel=${q(String(f.channel))}, payload=${q(String(f.payload))})`;
    case 'ReadyForQuery': return `ReadyForQuery(${f.status})`;
    case 'CommandComplete': return `CommandComplete(${q(String(f.tag))})`;
    case 'DataRow': return `DataRow(${JSON.stringify((f.values as (string | null)[]).map((v) => (v === null ? v : clip(v))))})`;
    case 'CopyData': return `CopyData(${q(String(f.data))})`;
    case 'RowDescription': return `RowDescription(${JSON.stringify(f.columns)})`;
    case 'ParameterDescription': return `ParameterDescription(${JSON.stringify(f.types)})`;
    default: return m.type;
  }
}
