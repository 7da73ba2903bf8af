// Frontend messages to bytes: pg-protocol's serializer where it writes what a scenario says,
// poolcheck's own frames where it cannot (format codes, bytes, fast-path calls, long cancel keys,
// protocol versions other than 3.0, deliberately malformed frames, statement names of any length). Message formats:
// https://www.postgresql.org/docs/current/protocol-message-formats.html
import { serialize } from 'pg-protocol';
import { bytesOf, encodeValue, type Format, type Value } from './bytes.ts';
import { valueFormats, type FrontendMessage } from './messages.ts';
import { PROTOCOL_3_0 } from './protocol-version.ts';

/** Builds one message body; frame() puts the type byte and the length word in front. */
class Body {
  private readonly parts: Buffer[] = [];

  int16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return this.add(b);
  }
  /** A count of parameters, format codes or types: PostgreSQL reads it unsigned (up to 65535). */
  uint16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return this.add(b);
  }
  int32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return this.add(b);
  }
  cstring(s: string): this {
    return this.add(Buffer.from(s)).add(Buffer.from([0]));
  }
  add(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  /** The length word counts itself and the body, not the type byte. */
  frame(code: string, length?: number): Buffer {
    const body = Buffer.concat(this.parts);
    const head = Buffer.alloc(5);
    head.write(code, 0, 'latin1');
    head.writeInt32BE(length ?? body.length + 4, 1);
    return Buffer.concat([head, body]);
  }

  /** Startup-phase packets have no type byte. */
  packet(): Buffer {
    return this.frame('\0').subarray(1);
  }
}

const FORMAT_CODE: Readonly<Record<Format, number>> = { text: 0, binary: 1 };

/** A count and the format codes: none means all text, one applies to all, else one each. */
const formatCodes = (b: Body, formats: readonly Format[]) => {
  b.uint16(formats.length);
  for (const f of formats) b.int16(FORMAT_CODE[f]);
};

/** A count and each value as its length (-1 for NULL) and bytes. */
const valueList = (b: Body, values: readonly Value[]) => {
  b.uint16(values.length);
  for (const v of values) {
    if (v === null) {
      b.int32(-1);
      continue;
    }
    const bytes = encodeValue(v);
    b.int32(bytes.length).add(bytes);
  }
};

export function encode(m: FrontendMessage): Buffer {
  switch (m.type) {
    case 'Query':
      return serialize.query(m.sql); // Q
    case 'Parse': {
      // P
      // Written here, not by pg-protocol, which prints a warning for a name over 63 characters:
      // a statement name is no identifier, and PostgreSQL takes it at any length.
      const types = m.types ?? [];
      const b = new Body()
        .cstring(m.name ?? '')
        .cstring(m.sql)
        .uint16(types.length);
      for (const t of types) b.int32(t);
      return b.frame('P');
    }
    case 'Bind': {
      // B
      const params = m.params ?? [];
      const b = new Body().cstring(m.portal ?? '').cstring(m.statement ?? '');
      formatCodes(b, valueFormats(params, m.paramFormats));
      valueList(b, params);
      formatCodes(b, m.resultFormats ?? ['text']);
      return b.frame('B');
    }
    case 'Describe':
      return serialize.describe({ type: m.kind, name: m.name ?? '' }); // D
    case 'Execute':
      return serialize.execute({ portal: m.portal ?? '', rows: m.maxRows ?? 0 }); // E
    case 'Close':
      return serialize.close({ type: m.kind, name: m.name ?? '' }); // C
    case 'Flush':
      return serialize.flush(); // H
    case 'Sync':
      return serialize.sync(); // S
    case 'Terminate':
      return serialize.end(); // X
    case 'CopyData':
      return serialize.copyData(encodeValue(m.data)); // d
    case 'CopyDone':
      return serialize.copyDone(); // c
    case 'CopyFail':
      return serialize.copyFail(m.message); // f
    case 'FunctionCall': {
      // F
      const args = m.args ?? [];
      const b = new Body().int32(functionOid(m.function));
      formatCodes(b, valueFormats(args, m.argFormats));
      valueList(b, args);
      return b.int16(FORMAT_CODE[m.resultFormat ?? 'text']).frame('F');
    }
    case 'RawMessage':
      return new Body().add(encodeValue(m.payload ?? '')).frame(m.code, m.length);
    case 'RawBytes':
      return bytesOf(m.hex);
  }
}

/** A FunctionCall names its function by oid on the wire; a signature must be resolved first (step-kinds.ts). */
function functionOid(f: number | string): number {
  const oid = typeof f === 'number' ? f : /^\d+$/.test(f) ? Number(f) : undefined;
  if (oid === undefined) throw new Error(`FunctionCall of "${f}": the function's oid was not resolved before sending`);
  // An oid is unsigned; the int32 on the wire carries its bits.
  return oid | 0;
}

/**
 * StartupMessage: the protocol version, then name/value pairs and a terminating zero byte.
 * client_encoding UTF8 comes last, as pg-protocol writes it, so a 3.0 start-up is byte for byte
 * what poolcheck always sent. `_pq_.` names are protocol options, not run-time parameters:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE
 */
export function startupMessage(params: Readonly<Record<string, string>>, version = PROTOCOL_3_0): Buffer {
  const b = new Body().int32(version);
  for (const [k, v] of Object.entries(params)) b.cstring(k).cstring(v);
  return b
    .cstring('client_encoding')
    .cstring('UTF8')
    .add(Buffer.from([0]))
    .packet();
}

/** The code that marks a start-up packet as a CancelRequest (1234 in the high 16 bits, 5678 in the low). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * CancelRequest with the key as BackendKeyData gave it: 4 bytes in protocol 3.0, longer in 3.2.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
 */
export function cancelRequest(pid: number, key: Buffer): Buffer {
  return new Body().int32(CANCEL_REQUEST_CODE).int32(pid).add(key).packet();
}
