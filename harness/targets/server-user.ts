// PostgreSQL refuses to run as root (and pgbouncer warns against it), so when poolcheck runs
// as root the servers it starts run as the `postgres` user that Debian's packages create.
import { readFileSync } from 'node:fs';

export interface ServerUser { readonly name: string; readonly uid: number; readonly gid: number }

let cached: ServerUser | null | undefined;

export function serverUser(): ServerUser | null {
  if (cached !== undefined) return cached;
  if (process.getuid?.() !== 0) return (cached = null);
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) {
    throw new Error('running as root needs a `postgres` user to run the servers: apt-get install postgresql-15 creates it (or run poolcheck as a normal user)');
  }
  const [, , uid, gid] = line.split(':');
  return (cached = { name: 'postgres', uid: Number(uid), gid: Number(gid) });
}
