// Where an external target is, as the user names it: postgres:// URLs without a password (a
// password on the command line would land in shell history, `ps` and CI logs), and the
// password from the environment or a file.
import { readFileSync } from 'node:fs';
import type { ConnInfo } from '../../kernel/conn-info.ts';
import { MASK, maskConnectionStrings } from '../../kernel/connection-string-mask.ts';

export type UrlEndpoint = Omit<ConnInfo, 'password'>;

export class ExternalUsageError extends Error {}

/**
 * The URL as it may be shown: whatever follows `user:` before the last `@` and the value of every
 * parameter are masked, so a refused URL is never printed with its password
 * (`postgres://app:PW@host/db`, `?password=PW`), even when it does not parse (a password holding
 * `/`, `@` or a blank); text that is no URL at all (a libpq key/value string `host=h password=PW`)
 * has its password masked as in any report (kernel/connection-string-mask.ts).
 */
export function maskedUrl(text: string): string {
  return maskConnectionStrings(text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):.*@/i, `$1:${MASK}@`)).replace(/([?&][^=&#]*)=[^&#]*/g, `$1=${MASK}`);
}

/** `postgres://user@host[:port]/database`; anything poolcheck would silently ignore is refused. */
export function parseEndpoint(flag: string, text: string): UrlEndpoint {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ExternalUsageError(`--${flag}: "${maskedUrl(text)}" is not a URL; expected postgres://user@host:port/database`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new ExternalUsageError(`--${flag}: expected a postgres:// URL, got ${u.protocol}//`);
  if (u.password) {
    throw new ExternalUsageError(
      `--${flag}: the URL holds a password; give it with --password-env VAR or --password-file FILE instead, so it never reaches the command line or a report`,
    );
  }
  if (u.search)
    throw new ExternalUsageError(
      `--${flag}: URL parameters (${maskedUrl(u.search)}) are not supported; give a password with --password-env or --password-file`,
    );
  const user = decodeURIComponent(u.username);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!user || !u.hostname || !database)
    throw new ExternalUsageError(`--${flag}: "${maskedUrl(text)}" needs a user, a host and a database: postgres://user@host:port/database`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(u.port) || 5432, user, database };
}

/** The URL as poolcheck shows it: never with a password (ConnInfo's stays in the process). */
export const shownUrl = (e: UrlEndpoint) => `postgres://${e.user}@${e.host}:${e.port}/${e.database}`;

/** URLs, one per lane. */
export function parseEndpoints(flag: string, urls: readonly string[]): UrlEndpoint[] {
  return urls.map((s) => parseEndpoint(flag, s));
}

/**
 * The password for every connection of an external target: the first line of --password-file,
 * or the variable --password-env names (PGPASSWORD by default, as libpq). Empty when neither
 * is set, for servers that let the user in without one.
 */
export function readPassword(opts: { env?: string; file?: string }): string {
  if (opts.env && opts.file) throw new ExternalUsageError('give --password-env or --password-file, not both');
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new ExternalUsageError(`--password-file: cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return text.split('\n')[0].replace(/\r$/, '');
  }
  if (opts.env) {
    const v = process.env[opts.env];
    if (v === undefined) throw new ExternalUsageError(`--password-env: the environment variable ${opts.env} is not set`);
    return v;
  }
  return process.env.PGPASSWORD ?? '';
}
