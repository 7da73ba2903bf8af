// Finding the programs a target needs. A pooler developer points poolcheck at the build in
// front of them (--pgbouncer-bin, --pg-bindir, or poolcheck.config.json); otherwise Debian's
// packaged paths and PATH are searched. When a program is missing and poolcheck runs as root,
// it installs the Debian package that provides it (say --no-install to refuse).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { aptInstall } from '../kernel/apt.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { cannotRunAs } from './path-access.ts';
import type { ServerUser } from './server-user.ts';

export class MissingBinaryError extends Error {
  constructor(program: string, aptPackage: string, flag: string) {
    super(`${program} not found: install it with \`apt-get install ${aptPackage}\` or name it with ${flag}`);
    this.name = 'MissingBinaryError';
  }
}

/** A program the servers' user may not reach or run (path-access.ts): one line naming the path and the fix. */
export class BinaryAccessError extends Error {
  override readonly name = 'BinaryAccessError';
}

/** A file this process may execute (a folder has the x bit too, and is not one). */
const executable = (p: string) => {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, program);
    if (dir && executable(p)) return p;
  }
  return undefined;
}

export interface BinaryRequest {
  readonly program: string;
  readonly aptPackage: string;
  readonly flag: string;
  readonly explicit?: string;
  readonly candidates: () => string[];
  readonly allowInstall: boolean;
  /**
   * The user the program will run as, when not this process's (root runs servers as postgres).
   * Asked only once the program is found: the package that provides it may be what creates that
   * user (Debian's postgresql-15 creates postgres), so a fresh machine must install first.
   */
  readonly runAs?: () => ServerUser | null;
}

/** Refuses `file` if `runAs` could not run it; `what` names it as the user gave it. */
export function checkRunnable(file: string, runAs: ServerUser | null | undefined, what: string): void {
  const why = runAs ? cannotRunAs(file, runAs, what) : undefined;
  if (why) throw new BinaryAccessError(why);
}

export function findBinary(req: BinaryRequest): string {
  if (req.explicit) {
    if (!executable(req.explicit)) throw new Error(`${req.explicit} (given with ${req.flag}) is not an executable file`);
    checkRunnable(req.explicit, req.runAs?.(), `${req.flag.split(' ')[0]} ${req.explicit}`);
    return req.explicit;
  }
  const look = () => req.candidates().find(executable) ?? onPath(req.program);
  let found = look();
  if (!found && req.allowInstall && process.getuid?.() === 0 && onPath('apt-get')) {
    aptInstall([req.aptPackage]);
    found = look();
  }
  if (!found) throw new MissingBinaryError(req.program, req.aptPackage, req.flag);
  checkRunnable(found, req.runAs?.(), found);
  return found;
}

/** Debian's PostgreSQL server binaries live in /usr/lib/postgresql/<major>/bin; newest first. */
export function postgresBinDirCandidates(): string[] {
  const root = '/usr/lib/postgresql';
  const dirs = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return dirs.map((v) => path.join(root, v, 'bin')).filter((d) => existsSync(path.join(d, 'postgres')));
}

/** Debian's PostgreSQL server package on bookworm (it also creates the postgres user the servers run as under root). */
export const POSTGRES_PACKAGE = 'postgresql-15';

/** The PostgreSQL bin directory: postgres and initdb, both runnable by `runAs` (they run as the servers' user). */
export function findPostgresBinDir(explicit: string | undefined, allowInstall: boolean, runAs?: () => ServerUser | null): string {
  const postgres = findBinary({
    program: 'postgres',
    aptPackage: POSTGRES_PACKAGE,
    flag: '--pg-bindir DIR',
    allowInstall,
    runAs,
    explicit: explicit ? path.join(explicit, 'postgres') : undefined,
    candidates: () => postgresBinDirCandidates().map((d) => path.join(d, 'postgres')),
  });
  const dir = path.dirname(postgres);
  const initdb = path.join(dir, 'initdb');
  if (!executable(initdb)) throw new Error(`${dir} has postgres but no initdb: name a full PostgreSQL bin directory with --pg-bindir`);
  checkRunnable(initdb, runAs?.(), explicit ? `--pg-bindir ${explicit}` : initdb);
  return dir;
}

/**
 * The first line a program prints for --version, e.g. "PgBouncer 1.18.0". pgpool-II prints it
 * on stderr ("pgpool-II version 4.3.5 (tamahomeboshi)"), so stderr counts when stdout is empty.
 */
export function versionLine(binary: string): string {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: TIMEOUT_MS.versionProbe });
  if (r.error) throw new Error(`${binary} --version failed: ${r.error.message}`);
  return (r.stdout.trim() || r.stderr.trim()).split('\n')[0].trim();
}
