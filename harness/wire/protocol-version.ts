// The protocol version a StartupMessage asks for: the major version in the most significant 16
// bits, the minor in the least (3.0 is 196608, 3.2 is 196610). PostgreSQL 18 speaks 3.2; older
// servers answer a newer minor version with NegotiateProtocolVersion and go on in the newest
// one they have: https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-VERSIONS

export const PROTOCOL_3_0 = 196608;

/** 196610 for '3.2' or 196610; undefined for anything else. */
export function protocolNumber(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 65536 && v <= 0x7fffffff ? v : undefined;
  const m = /^(\d{1,4})\.(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 0xffff) return undefined;
  return Number(m[1]) * 65536 + Number(m[2]);
}

/** 196610 as '3.2'. */
export const protocolText = (n: number): string => `${Math.floor(n / 65536)}.${n % 65536}`;
