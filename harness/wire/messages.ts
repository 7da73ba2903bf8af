// Protocol messages as plain data, both directions, and the one-line rendering transcripts use.
// Encoding is frontend-codec.ts's, decoding backend-codec.ts's. Message formats:
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import { renderValue, type Bytes, type Format, type Value } from './bytes.ts';
import { clip } from './clip.ts';
import { protocolText } from './protocol-version.ts';

export type FrontendMessage =
  | { readonly type: 'Query'; readonly sql: string }
  | { readonly type: 'Parse'; readonly name?: string; readonly sql: string; readonly types?: readonly number[] }
  | {
      readonly type: 'Bind';
      readonly portal?: string;
      readonly statement?: string;
      readonly params?: readonly Value[];
      /** Written as given: none (all text), one (for every parameter) or one each. Default: one each, binary for bytes. */
      readonly paramFormats?: readonly Format[];
      /** Written as given, as paramFormats. Default: one, text. */
      readonly resultFormats?: readonly Format[];
    }
  | { readonly type: 'Describe'; readonly kind: 'S' | 'P'; readonly name?: string }
  | { readonly type: 'Execute'; readonly portal?: string; readonly maxRows?: number }
  | { readonly type: 'Close'; readonly kind: 'S' | 'P'; readonly name?: string }
  | { readonly type: 'Flush' }
  | { readonly type: 'Sync' }
  | { readonly type: 'Terminate' }
  | { readonly type: 'CopyData'; readonly data: string | Bytes }
  | { readonly type: 'CopyDone' }
  | { readonly type: 'CopyFail'; readonly message: string }
  | {
      /**
       * The fast-path interface (large objects through pgjdbc, libpq's PQfn):
       * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-FUNCTION-CALL
       * `function` is the function's oid, or its signature ('lo_creat(integer)'), which the step
       * resolves to the oid on the observer before sending.
       */
      readonly type: 'FunctionCall';
      readonly function: number | string;
      readonly args?: readonly Value[];
      /** Written as given, as Bind's paramFormats. Default: one each, binary for bytes. */
      readonly argFormats?: readonly Format[];
      readonly resultFormat?: Format;
    }
  | {
      /** Any type byte and payload; `length` is written as given (default: 4 + the payload's length), to frame a message wrongly. */
      readonly type: 'RawMessage';
      readonly code: string;
      readonly payload?: string | Bytes;
      readonly length?: number;
    }
  /** Bytes sent as they are: a whole frame, several, or part of one. */
  | { readonly type: 'RawBytes'; readonly hex: string };

/** Format codes of a Bind's parameters or a FunctionCall's arguments, as written: default one each, binary for bytes. */
export const valueFormats = (values: readonly Value[], given: readonly Format[] | undefined): readonly Format[] =>
  given ?? values.map((v) => (v !== null && typeof v === 'object' ? 'binary' : 'text'));

const q = (s: string) => JSON.stringify(clip(s));
const values = (vs: readonly Value[]) => `[${vs.map(renderValue).join(',')}]`;
const formats = (name: string, fs: readonly Format[] | undefined) => (fs ? `, ${name}=[${fs.join(',')}]` : '');
const data = (d: string | Bytes) => (typeof d === 'string' ? q(d) : renderValue(d));

export function renderFrontend(m: FrontendMessage): string {
  switch (m.type) {
    case 'Query':
      return `Query(${q(m.sql)})`;
    case 'Parse':
      return `Parse(stmt=${q(m.name ?? '')}, query=${q(m.sql)})`;
    case 'Bind':
      return `Bind(portal=${q(m.portal ?? '')}, stmt=${q(m.statement ?? '')}, params=${values(m.params ?? [])}${formats('paramFormats', m.paramFormats)}${formats('resultFormats', m.resultFormats)})`;
    case 'Describe':
      return `Describe(${m.kind === 'S' ? 'stmt' : 'portal'}=${q(m.name ?? '')})`;
    case 'Execute':
      return `Execute(portal=${q(m.portal ?? '')}, rows=${m.maxRows ?? 0})`;
    case 'Close':
      return `Close(${m.kind === 'S' ? 'stmt' : 'portal'}=${q(m.name ?? '')})`;
    case 'CopyData':
      return `CopyData(${data(m.data)})`;
    case 'CopyFail':
      return `CopyFail(${q(m.message)})`;
    case 'FunctionCall':
      return `FunctionCall(function=${typeof m.function === 'number' ? m.function : q(m.function)}, args=${values(m.args ?? [])}${formats('argFormats', m.argFormats)}, result=${m.resultFormat ?? 'text'})`;
    case 'RawMessage':
      return `RawMessage(code=${q(m.code)}${m.length === undefined ? '' : `, length=${m.length}`}, payload=${data(m.payload ?? '')})`;
    case 'RawBytes':
      return `RawBytes(${renderValue({ hex: m.hex })})`;
    default:
      return m.type;
  }
}

/**
 * Backend message names, as the protocol documentation spells them: what scenarios expect
 * (`expect.messages`), what `until` waits for, and what transcripts show.
 */
export const MESSAGE_NAMES = [
  'AuthenticationOk',
  'AuthenticationCleartextPassword',
  'AuthenticationMD5Password',
  'AuthenticationSASL',
  'AuthenticationSASLContinue',
  'AuthenticationSASLFinal',
  'BackendKeyData',
  'BindComplete',
  'CloseComplete',
  'CommandComplete',
  'CopyData',
  'CopyDone',
  'CopyInResponse',
  'CopyOutResponse',
  'DataRow',
  'EmptyQueryResponse',
  'ErrorResponse',
  'NoData',
  'NoticeResponse',
  'NotificationResponse',
  'ParameterDescription',
  'ParameterStatus',
  'ParseComplete',
  'PortalSuspended',
  'ReadyForQuery',
  'RowDescription',
  'CopyBothResponse',
  'FunctionCallResponse',
  'NegotiateProtocolVersion',
] as const;
export type MessageName = (typeof MESSAGE_NAMES)[number];

/** ReadyForQuery's transaction status: idle, in a transaction block, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

type WithFields =
  | 'ErrorResponse'
  | 'NoticeResponse'
  | 'ParameterStatus'
  | 'BackendKeyData'
  | 'NotificationResponse'
  | 'ReadyForQuery'
  | 'CommandComplete'
  | 'DataRow'
  | 'CopyData'
  | 'RowDescription'
  | 'ParameterDescription'
  | 'CopyInResponse'
  | 'CopyOutResponse'
  | 'CopyBothResponse'
  | 'FunctionCallResponse'
  | 'NegotiateProtocolVersion';

/** A backend message reduced to plain data, one member per message with fields worth keeping. */
export type ServerMessage =
  | { readonly type: 'ErrorResponse' | 'NoticeResponse'; readonly severity: string | null; readonly code: string | null; readonly message: string }
  | { readonly type: 'ParameterStatus'; readonly name: string; readonly value: string }
  /** The key is 4 bytes in protocol 3.0, up to 256 in 3.2 (PostgreSQL 18 sends 32). */
  | { readonly type: 'BackendKeyData'; readonly pid: number; readonly key: Bytes }
  | { readonly type: 'NotificationResponse'; readonly pid: number; readonly channel: string; readonly payload: string }
  | { readonly type: 'ReadyForQuery'; readonly status: TransactionStatus }
  | { readonly type: 'CommandComplete'; readonly tag: string }
  /** Text columns as text, binary ones as bytes (result-formats.ts tells which is which). */
  | { readonly type: 'DataRow'; readonly values: readonly Value[] }
  /** Bytes during a binary COPY, text otherwise. */
  | { readonly type: 'CopyData'; readonly data: string | Bytes }
  /** `formats` only where some column is binary. */
  | { readonly type: 'RowDescription'; readonly columns: readonly string[]; readonly formats?: readonly Format[] }
  | { readonly type: 'ParameterDescription'; readonly types: readonly string[] }
  /** `binary` for COPY ... (FORMAT binary). */
  | { readonly type: 'CopyInResponse' | 'CopyOutResponse' | 'CopyBothResponse'; readonly binary?: true }
  | { readonly type: 'FunctionCallResponse'; readonly value: Value }
  /** The newest version the server speaks for the major version asked, and the `_pq_.` options it did not recognise. */
  | { readonly type: 'NegotiateProtocolVersion'; readonly version: number; readonly options: readonly string[] }
  | { readonly type: Exclude<MessageName, WithFields> };

/** The member of ServerMessage with this name. */
export type MessageOf<N extends MessageName> = Extract<ServerMessage, { readonly type: N }>;

/** The secret key stays out of transcripts; only a length other than protocol 3.0's shows. */
export const renderKey = (key: Bytes, secret = '<secret>'): string => {
  const n = key.hex.replace(/\s+/g, '').length / 2;
  return n === 4 ? secret : `${secret.slice(0, -1)} of ${n} bytes>`;
};

export function renderBackend(m: ServerMessage): string {
  switch (m.type) {
    case 'ErrorResponse':
    case 'NoticeResponse':
      return `${m.type}(S=${m.severity}, C=${m.code}, M=${q(m.message)})`;
    case 'ParameterStatus':
      return `ParameterStatus(${m.name}=${q(m.value)})`;
    case 'BackendKeyData':
      return `BackendKeyData(pid=${m.pid}, key=${renderKey(m.key)})`;
    case 'NotificationResponse':
      return `NotificationResponse(pid=${m.pid}, channel=${q(m.channel)}, payload=${q(m.payload)})`;
    case 'ReadyForQuery':
      return `ReadyForQuery(${m.status})`;
    case 'CommandComplete':
      return `CommandComplete(${q(m.tag)})`;
    case 'DataRow':
      return `DataRow(${values(m.values)})`;
    case 'CopyData':
      return `CopyData(${data(m.data)})`;
    case 'RowDescription':
      return `RowDescription(${JSON.stringify(m.columns)}${formats('formats', m.formats)})`;
    case 'ParameterDescription':
      return `ParameterDescription(${JSON.stringify(m.types)})`;
    case 'CopyInResponse':
    case 'CopyOutResponse':
    case 'CopyBothResponse':
      return m.binary ? `${m.type}(binary)` : m.type;
    case 'FunctionCallResponse':
      return `FunctionCallResponse(${renderValue(m.value)})`;
    case 'NegotiateProtocolVersion':
      return `NegotiateProtocolVersion(version=${protocolText(m.version)}, options=${JSON.stringify(m.options)})`;
    default:
      return m.type;
  }
}
