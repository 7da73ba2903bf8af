// A value on the wire: text, SQL NULL, or bytes. Binary-format parameters and results, binary
// COPY data and hand-made frames are bytes, written as hex in scenario data (`{ hex: '0005' }`)
// and shown as x'0005' in transcripts, so a value PostgreSQL sends in binary never passes for
// text. Formats: https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES
import { clip } from './clip.ts';

/** Bytes, as hex digits (spaces between bytes allowed where a person writes them). */
export interface Bytes {
  readonly hex: string;
}

export type Value = string | null | Bytes;

/** A format code as the protocol defines it: 0 text, 1 binary. */
export type Format = 'text' | 'binary';

export const isBytes = (v: unknown): v is Bytes =>
  !!v && typeof v === 'object' && typeof (v as { hex?: unknown }).hex === 'string' && Object.keys(v).length === 1;

/** Why `hex` is not whole bytes in hex, or undefined when it is. */
export function hexProblem(hex: string): string | undefined {
  const digits = hex.replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(digits)) return `"${clip(hex, 60)}" is not hex: digits 0-9 and a-f only (spaces between bytes allowed)`;
  return digits.length % 2 ? `"${clip(hex, 60)}" has an odd number of hex digits: two make a byte` : undefined;
}

export function bytesOf(hex: string): Buffer {
  const problem = hexProblem(hex);
  if (problem) throw new Error(problem);
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

export const toBytes = (buf: Buffer): Bytes => ({ hex: buf.toString('hex') });

/** Text as UTF-8 (client_encoding is UTF8 on every poolcheck connection), bytes as they are. */
export const encodeValue = (v: string | Bytes): Buffer => (typeof v === 'string' ? Buffer.from(v) : bytesOf(v.hex));

/** Two values are the same: equal text, or the same bytes however the hex was spelt. */
export function sameValue(a: Value, b: Value): boolean {
  if (isBytes(a) || isBytes(b))
    return isBytes(a) && isBytes(b) && a.hex.replace(/\s+/g, '').toLowerCase() === b.hex.replace(/\s+/g, '').toLowerCase();
  return a === b;
}

/**
 * A value as text where only text makes sense (a saved value, a pid): bytes read as
 * PostgreSQL's bytea output, `\x` and the hex digits.
 */
export const textOf = (v: Value): string | null => (isBytes(v) ? `\\x${v.hex.replace(/\s+/g, '').toLowerCase()}` : v);

/** One value in a transcript line: "text" (clipped), null, or x'0005' (long ones by head and length). */
export function renderValue(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(clip(v));
  const hex = v.hex.replace(/\s+/g, '').toLowerCase();
  return hex.length <= 128 ? `x'${hex}'` : `x'${hex.slice(0, 64)}'...(${hex.length / 2} bytes)`;
}
