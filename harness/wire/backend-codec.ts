// Bytes from the server to messages. poolcheck cuts the stream into frames itself (a type byte
// and a length word that counts itself: protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS), so it
// knows when a server closed in the middle of one, and it reads the messages whose bytes matter
// to a scenario; pg-protocol's parser reads the rest. What pg-protocol (1.16) cannot give:
// FunctionCallResponse and NegotiateProtocolVersion (it reports an unknown code), a secret key
// longer than protocol 3.0's four bytes, and binary values (it decodes every value as UTF-8).
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { toBytes, type Format, type Value } from './bytes.ts';
import type { MessageName, ServerMessage, TransactionStatus } from './messages.ts';

/** The format of the values now arriving, as the client asked for them (incoming-formats.ts). */
export interface Formats {
  column(i: number): Format;
  copyData(): Format;
  functionResult(): Format;
}

export interface Decoded {
  readonly message: ServerMessage;
  /** pg-protocol's message, where it parsed the frame: SASL payloads and the md5 salt live there. */
  readonly raw?: BackendMessage;
}

/** A server that broke the framing: what came cannot be read as messages any more. */
export class FramingError extends Error {}

const HEADER = 5;

export class BackendDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly parser = new Parser();

  constructor(private readonly formats: Formats) {}

  /**
   * Feeds bytes as they arrived and hands over every message they complete, in order, each
   * decoded before the next is read (a DataRow's formats depend on what came before it). Throws
   * a FramingError, after the messages before it, when the server broke the framing.
   */
  push(chunk: Buffer, each: (d: Decoded) => void): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.buffer.length >= HEADER) {
      const length = this.buffer.readInt32BE(1);
      if (length < 4)
        throw new FramingError(`the server sent a message ${JSON.stringify(String.fromCharCode(this.buffer[0]))} with length ${length} (at least 4)`);
      if (this.buffer.length < 1 + length) break;
      const frame = this.buffer.subarray(0, 1 + length);
      this.buffer = this.buffer.subarray(1 + length);
      each(this.decode(frame));
    }
  }

  /** The message the server has begun and not finished, if any: what a close now cuts off. */
  get partial(): string | undefined {
    if (!this.buffer.length) return undefined;
    const code = JSON.stringify(String.fromCharCode(this.buffer[0]));
    return this.buffer.length < HEADER
      ? `${this.buffer.length} byte(s) of a message ${code}`
      : `${this.buffer.length - 1} of ${this.buffer.readInt32BE(1)} bytes of a message ${code}`;
  }

  private decode(frame: Buffer): Decoded {
    const body = new Reader(frame.subarray(HEADER), String.fromCharCode(frame[0]));
    switch (frame[0]) {
      case 0x4b:
        return { message: { type: 'BackendKeyData', pid: body.int32(), key: toBytes(body.rest()) } }; // K
      case 0x44: {
        // D
        const values: Value[] = [];
        for (let i = 0, n = body.int16(); i < n; i++) values.push(body.value(this.formats.column(i)));
        return { message: { type: 'DataRow', values } };
      }
      case 0x64: {
        // d
        const data = body.rest();
        return { message: { type: 'CopyData', data: this.formats.copyData() === 'binary' ? toBytes(data) : data.toString('utf8') } };
      }
      case 0x56:
        return { message: { type: 'FunctionCallResponse', value: body.value(this.formats.functionResult()) } }; // V
      case 0x76: {
        // v
        const version = body.int32();
        const options: string[] = [];
        for (let i = 0, n = body.int32(); i < n; i++) options.push(body.cstring());
        return { message: { type: 'NegotiateProtocolVersion', version, options } };
      }
      default: {
        let raw: BackendMessage | undefined;
        try {
          this.parser.parse(frame, (m) => {
            raw = m;
          });
        } catch (err) {
          throw new FramingError(
            `the server's message ${JSON.stringify(String.fromCharCode(frame[0]))} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        if (!raw) throw new FramingError(`pg-protocol did not read a whole message ${JSON.stringify(String.fromCharCode(frame[0]))}`);
        return { message: fromPgProtocol(raw), raw };
      }
    }
  }
}

/** Reads a message body; reading past its end is the server's framing error, not a crash. */
class Reader {
  private at = 0;

  constructor(
    private readonly b: Buffer,
    private readonly code: string,
  ) {}

  private need(n: number): void {
    if (this.at + n > this.b.length)
      throw new FramingError(`the server's message ${JSON.stringify(this.code)} ends before its fields do (${this.b.length} bytes)`);
  }

  int16(): number {
    this.need(2);
    this.at += 2;
    return this.b.readInt16BE(this.at - 2);
  }
  int32(): number {
    this.need(4);
    this.at += 4;
    return this.b.readInt32BE(this.at - 4);
  }
  bytes(n: number): Buffer {
    this.need(n);
    this.at += n;
    return this.b.subarray(this.at - n, this.at);
  }
  rest(): Buffer {
    return this.bytes(this.b.length - this.at);
  }

  cstring(): string {
    const end = this.b.indexOf(0, this.at);
    if (end < 0) throw new FramingError(`the server's message ${JSON.stringify(this.code)} has a string without its terminating zero byte`);
    const s = this.b.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }

  /** A length word (-1 for NULL) and that many bytes, as text or bytes. */
  value(format: Format): Value {
    const n = this.int32();
    if (n === -1) return null;
    const b = this.bytes(n);
    return format === 'binary' ? toBytes(b) : b.toString('utf8');
  }
}

const NAMES: Partial<Record<BackendMessage['name'], MessageName>> = {
  parseComplete: 'ParseComplete',
  bindComplete: 'BindComplete',
  closeComplete: 'CloseComplete',
  noData: 'NoData',
  portalSuspended: 'PortalSuspended',
  emptyQuery: 'EmptyQueryResponse',
  copyDone: 'CopyDone',
  rowDescription: 'RowDescription',
  parameterDescription: 'ParameterDescription',
  parameterStatus: 'ParameterStatus',
  notification: 'NotificationResponse',
  readyForQuery: 'ReadyForQuery',
  commandComplete: 'CommandComplete',
  copyInResponse: 'CopyInResponse',
  copyOutResponse: 'CopyOutResponse',
  authenticationOk: 'AuthenticationOk',
  authenticationMD5Password: 'AuthenticationMD5Password',
  authenticationCleartextPassword: 'AuthenticationCleartextPassword',
  authenticationSASL: 'AuthenticationSASL',
  authenticationSASLContinue: 'AuthenticationSASLContinue',
  authenticationSASLFinal: 'AuthenticationSASLFinal',
  // pg-protocol reports a message code it does not know as an 'error' without a SQLSTATE.
  error: 'ErrorResponse',
  notice: 'NoticeResponse',
  replicationStart: 'CopyBothResponse',
};

/** pg-protocol's parsed message as plain data (SASL payloads and the md5 salt are left out: secrets). */
function fromPgProtocol(raw: BackendMessage): ServerMessage {
  // pg-protocol's message classes share one `name` union rather than a discriminated one, so
  // each case reads the class's own fields.
  const m = raw as unknown as Record<string, unknown>;
  const type = NAMES[raw.name];
  if (!type) throw new FramingError(`pg-protocol read a message poolcheck does not expect from it: ${raw.name}`);
  switch (raw.name) {
    case 'error':
    case 'notice':
      return {
        type: type as 'ErrorResponse' | 'NoticeResponse',
        severity: (m.severity as string | undefined) ?? null,
        code: (m.code as string | undefined) ?? null,
        message: typeof m.message === 'string' ? m.message : '',
      };
    case 'parameterStatus':
      return { type: 'ParameterStatus', name: String(m.parameterName), value: String(m.parameterValue) };
    case 'notification':
      return { type: 'NotificationResponse', pid: Number(m.processId), channel: String(m.channel), payload: String(m.payload) };
    case 'readyForQuery':
      return { type: 'ReadyForQuery', status: m.status as TransactionStatus };
    case 'commandComplete':
      return { type: 'CommandComplete', tag: String(m.text) };
    case 'rowDescription': {
      const fields = m.fields as Array<{ name: string; format: Format }>;
      const columns = fields.map((f) => f.name);
      return fields.some((f) => f.format === 'binary')
        ? { type: 'RowDescription', columns, formats: fields.map((f) => f.format) }
        : { type: 'RowDescription', columns };
    }
    case 'parameterDescription':
      return { type: 'ParameterDescription', types: (m.dataTypeIDs as number[]).map(String) };
    case 'copyInResponse':
    case 'copyOutResponse':
      return m.binary ? { type: type as 'CopyInResponse', binary: true } : { type: type as 'CopyInResponse' };
    default:
      return { type } as ServerMessage;
  }
}
