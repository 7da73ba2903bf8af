// Finding the programs a target needs. A pooler developer points poolcheck at the build in
// front of them (--pgbouncer-bin, --pg-bindir, or poolcheck.config.json); otherwise Debian's
// packaged paths and PATH are searched. When a program is missing and poolcheck runs as root,
// it installs the Debian package that provides it (say --no-install to refuse).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { aptInstall } from '../kernel/apt.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';

export class MissingBinaryError extends Error {
  constructor(program: string, aptPackage: string, flag: string) {
    super(`${program} not found: install it with \`apt-get install ${aptPackage}\` or name it with ${flag}`);
    this.name = 'MissingBinaryError';
  }
}

/** A file this process may execute (a folder has the x bit too, and is not one). */
const executable = (p: string) => {
  try { accessSync(p, constants.X_OK); return statSync(p).isFile(); } catch { return false; }
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
}

export function findBinary(req: BinaryRequest): string {
  if (req.explicit) {
    if (!executable(req.explicit)) throw new Error(`${req.explicit} (given with ${req.flag}) is not an executable file`);
    return req.explicit;
  }
  const look = () => req.candidates().find(executable) ?? onPath(req.program);
  let found = look();
  if (!found && req.allowInstall && process.getuid?.() === 0 && onPath('apt-get')) {
    aptInstall([req.aptPackage]);
    found = look();
  }
  if (!found) throw new MissingBinaryError(req.program, req.aptPackage, req.flag);
  return found;
}

/** Debian's PostgreSQL server binaries live in /usr/lib/postgresql/<major>/bin; newest first. */
export function postgresBinDirCandidates(): string[] {
  const root = '/usr/lib/postgresql';
  const dirs = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return dirs.map((v) => path.join(root, v, 'bin')).filter((d) => existsSync(path.join(d, 'postgres')));
}

export function findPostgresBinDir(explicit: string | undefined, allowInstall: boolean): string {
  const postgres = findBinary({
    program: 'postgres', aptPackage: 'postgresql-15', flag: '--pg-bindir DIR', allowInstall,
    explicit: explicit ? path.join(explicit, 'postgres') : undefined,
    candidates: () => postgresBinDirCandidates().map((d) => path.join(d, 'postgres')),
  });
  const dir = path.dirname(postgres);
  if (!executable(path.join(dir, 'initdb'))) throw new Error(`${dir} has postgres but no initdb: name a full PostgreSQL bin directory with --pg-bindir`);
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
