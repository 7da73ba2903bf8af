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

/**
 * Backend message names, as the protocol documentation spells them: what scenarios expect
 * (`expect.messages`), what `until` waits for, and what transcripts show.
 */
export const MESSAGE_NAMES = [
  'AuthenticationOk', 'AuthenticationCleartextPassword', 'AuthenticationMD5Password', 'AuthenticationSASL',
  'AuthenticationSASLContinue', 'AuthenticationSASLFinal', 'BackendKeyData', 'BindComplete', 'CloseComplete',
  'CommandComplete', 'CopyData', 'CopyDone', 'CopyInResponse', 'CopyOutResponse', 'DataRow', 'EmptyQueryResponse',
  'ErrorResponse', 'NoData', 'NoticeResponse', 'NotificationResponse', 'ParameterDescription', 'ParameterStatus',
  'ParseComplete', 'PortalSuspended', 'ReadyForQuery', 'RowDescription', 'CopyBothResponse',
] as const;
export type MessageName = (typeof MESSAGE_NAMES)[number];

/** ReadyForQuery's transaction status: idle, in a transaction block, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

/** A backend message reduced to plain data, one member per message with fields worth keeping. */
export type ServerMessage =
  | { readonly type: 'ErrorResponse' | 'NoticeResponse'; readonly severity: string | null; readonly code: string | null; readonly message: string }
  | { readonly type: 'ParameterStatus'; readonly name: string; readonly value: string }
  | { readonly type: 'BackendKeyData'; readonly pid: number; readonly key: number }
  | { readonly type: 'NotificationResponse'; readonly pid: number; readonly channel: string; readonly payload: string }
  | { readonly type: 'ReadyForQuery'; readonly status: TransactionStatus }
  | { readonly type: 'CommandComplete'; readonly tag: string }
  | { readonly type: 'DataRow'; readonly values: readonly (string | null)[] }
  | { readonly type: 'CopyData'; readonly data: string }
  | { readonly type: 'RowDescription'; readonly columns: readonly string[] }
  | { readonly type: 'ParameterDescription'; readonly types: readonly string[] }
  | { readonly type: Exclude<MessageName, 'ErrorResponse' | 'NoticeResponse' | 'ParameterStatus' | 'BackendKeyData' | 'NotificationResponse' | 'ReadyForQuery' | 'CommandComplete' | 'DataRow' | 'CopyData' | 'RowDescription' | 'ParameterDescription'> };

/** The member of ServerMessage with this name. */
export type MessageOf<N extends MessageName> = Extract<ServerMessage, { readonly type: N }>;

const NAMES: Record<MessageNameOfPgProtocol, MessageName> = {
  parseComplete: 'ParseComplete', bindComplete: 'BindComplete', closeComplete: 'CloseComplete', noData: 'NoData',
  portalSuspended: 'PortalSuspended', emptyQuery: 'EmptyQueryResponse', copyDone: 'CopyDone', copyData: 'CopyData',
  rowDescription: 'RowDescription', parameterDescription: 'ParameterDescription', parameterStatus: 'ParameterStatus',
  backendKeyData: 'BackendKeyData', notification: 'NotificationResponse', readyForQuery: 'ReadyForQuery',
  commandComplete: 'CommandComplete', dataRow: 'DataRow', copyInResponse: 'CopyInResponse', copyOutResponse: 'CopyOutResponse',
  authenticationOk: 'AuthenticationOk', authenticationMD5Password: 'AuthenticationMD5Password',
  authenticationCleartextPassword: 'AuthenticationCleartextPassword', authenticationSASL: 'AuthenticationSASL',
  authenticationSASLContinue: 'AuthenticationSASLContinue', authenticationSASLFinal: 'AuthenticationSASLFinal',
  // pg-protocol reports a message code it does not know as an 'error' without a SQLSTATE.
  error: 'ErrorResponse', notice: 'NoticeResponse', replicationStart: 'CopyBothResponse',
};
type MessageNameOfPgProtocol = BackendMessage['name'];

/** pg-protocol's parsed message as plain data (SASL payloads and the md5 salt are left out: secrets). */
export function toServerMessage(raw: BackendMessage): ServerMessage {
  // pg-protocol's message classes share one `name` union rather than a discriminated one, so
  // each case reads the class's own fields.
  const m = raw as unknown as Record<string, unknown>;
  const type = NAMES[raw.name];
  switch (raw.name) {
    case 'error': case 'notice':
      return { type: type as 'ErrorResponse' | 'NoticeResponse', severity: (m.severity as string | undefined) ?? null, code: (m.code as string | undefined) ?? null, message: typeof m.message === 'string' ? m.message : '' };
    case 'parameterStatus': return { type: 'ParameterStatus', name: String(m.parameterName), value: String(m.parameterValue) };
    case 'backendKeyData': return { type: 'BackendKeyData', pid: Number(m.processID), key: Number(m.secretKey) };
    case 'notification': return { type: 'NotificationResponse', pid: Number(m.processId), channel: String(m.channel), payload: String(m.payload) };
    case 'readyForQuery': return { type: 'ReadyForQuery', status: m.status as TransactionStatus };
    case 'commandComplete': return { type: 'CommandComplete', tag: String(m.text) };
    case 'dataRow': return { type: 'DataRow', values: m.fields as (string | null)[] };
    case 'copyData': return { type: 'CopyData', data: (m.chunk as Buffer).toString('utf8') };
    case 'rowDescription': return { type: 'RowDescription', columns: (m.fields as Array<{ name: string }>).map((f) => f.name) };
    case 'parameterDescription': return { type: 'ParameterDescription', types: (m.dataTypeIDs as number[]).map(String) };
    default: return { type } as ServerMessage;
  }
}

export function renderBackend(m: ServerMessage): string {
  switch (m.type) {
    case 'ErrorResponse': case 'NoticeResponse': return `${m.type}(S=${m.severity}, C=${m.code}, M=${q(m.message)})`;
    case 'ParameterStatus': return `ParameterStatus(${m.name}=${q(m.value)})`;
    case 'BackendKeyData': return `BackendKeyData(pid=${m.pid}, key=<secret>)`;
    case 'NotificationResponse': return `NotificationResponse(pid=${m.pid}, channel=${q(m.channel)}, payload=${q(m.payload)})`;
    case 'ReadyForQuery': return `ReadyForQuery(${m.status})`;
    case 'CommandComplete': return `CommandComplete(${q(m.tag)})`;
    case 'DataRow': return `DataRow(${JSON.stringify(m.values.map((v) => (v === null ? v : clip(v))))})`;
    case 'CopyData': return `CopyData(${q(m.data)})`;
    case 'RowDescription': return `RowDescription(${JSON.stringify(m.columns)})`;
    case 'ParameterDescription': return `ParameterDescription(${JSON.stringify(m.types)})`;
    default: return m.type;
  }
}
