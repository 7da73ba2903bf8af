import { maskConnectionStrings } from '../kernel/connection-string-mask.ts';

/**
 * Replaces every secret in text bound for a file or a terminal: each known secret (passwords),
 * and any password a connection string or password field carries, whoever wrote it there.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const live = secrets.filter((s) => s.length >= 4);
  return (text) => maskConnectionStrings(live.reduce((t, s) => t.split(s).join('<redacted>'), text));
}
