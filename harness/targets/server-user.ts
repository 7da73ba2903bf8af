// PostgreSQL refuses to run as root (and pgbouncer warns against it), so when poolcheck runs
// as root the servers it starts run as the `postgres` user that Debian's packages create.
import { readFileSync } from 'node:fs';
import { aptInstall } from '../kernel/apt.ts';
import { POSTGRES_PACKAGE } from './binaries.ts';

export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

let cached: ServerUser | null | undefined;

const passwdLine = () =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));

export function serverUser(): ServerUser | null {
  if (cached !== undefined) return cached;
  if (process.getuid?.() !== 0) return (cached = null);
  const line = passwdLine();
  if (!line) {
    throw new Error(
      `running as root needs a \`postgres\` user to run the servers: apt-get install ${POSTGRES_PACKAGE} creates it (or run poolcheck as a normal user)`,
    );
  }
  const [, , uid, gid] = line.split(':');
  return (cached = { name: 'postgres', uid: Number(uid), gid: Number(gid) });
}

/**
 * Before a local run as root on a machine that has never had PostgreSQL (a bare container):
 * installs the package that creates the postgres user, when installing is allowed, so that the
 * state folder can be made for that user before any server is looked for.
 */
export function ensureServerUser(allowInstall: boolean): void {
  if (process.getuid?.() !== 0 || passwdLine() || !allowInstall) return;
  aptInstall([POSTGRES_PACKAGE]);
}
