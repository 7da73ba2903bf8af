// What a driver needs from the machine besides npm packages. Checked before a run starts, so a
// missing library is one clear line (or, as root, an apt install like the servers get),
// instead of an error in every result of that driver.
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { aptInstall } from '../kernel/apt.ts';
import { DEBIAN_CARGO, DEBIAN_PHP, DEBIAN_PYTHON, DEBIAN_RUBY, DEBIAN_RUSTC } from './shim-path.ts';
import { TOKIO_POSTGRES_CRATES, tokioPostgresCratesPresent } from './tokio-postgres-build.ts';

export interface Prerequisite {
  /** Debian packages that provide it; empty where no package can (pg-native is built by npm). */
  readonly packages: readonly string[];
  present(): boolean;
  /** How to get it, when it is not a matter of installing `packages` as they are. */
  readonly how?: string;
}

const pythonModule = (module: string): Prerequisite => ({
  packages: ['python3', `python3-${module}`],
  present: () =>
    existsSync(DEBIAN_PYTHON) &&
    spawnSync(DEBIAN_PYTHON, ['-I', '-c', `import ${module}`], { stdio: 'ignore', timeout: TIMEOUT_MS.packageCheck }).status === 0,
});

const canLoad = (mod: string) => {
  try {
    createRequire(import.meta.url)(mod);
    return true;
  } catch {
    return false;
  }
};

const PREREQUISITES: Record<string, Prerequisite> = {
  psycopg: pythonModule('psycopg'),
  asyncpg: pythonModule('asyncpg'),
  pgjdbc: {
    packages: ['libpostgresql-jdbc-java', 'default-jre-headless'],
    present: () =>
      existsSync('/usr/share/java/postgresql.jar') &&
      (existsSync('/usr/lib/jvm/default-java/bin/java') || spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0),
  },
  pgx: {
    packages: ['golang-go', 'golang-github-jackc-pgx-v4-dev'],
    present: () => existsSync('/usr/bin/go') && existsSync('/usr/share/gocode/src/github.com/jackc/pgx/v4/conn.go'),
  },
  'ruby-pg': {
    packages: ['ruby', 'ruby-pg'],
    present: () => spawnSync(DEBIAN_RUBY, ['-e', 'require "pg"'], { stdio: 'ignore', timeout: TIMEOUT_MS.packageCheck }).status === 0,
  },
  'pdo-pgsql': {
    packages: ['php8.2-cli', 'php8.2-pgsql'],
    present: () =>
      spawnSync(DEBIAN_PHP, ['-r', 'exit(extension_loaded("pdo_pgsql") && function_exists("pcntl_fork") ? 0 : 1);'], {
        stdio: 'ignore',
        timeout: TIMEOUT_MS.packageCheck,
      }).status === 0,
  },
  // Debian's crates (librust-*-dev) are the sources cargo builds from, offline.
  'tokio-postgres': {
    packages: ['cargo', 'rustc', ...TOKIO_POSTGRES_CRATES],
    present: () => existsSync(DEBIAN_CARGO) && existsSync(DEBIAN_RUSTC) && tokioPostgresCratesPresent(),
  },
  // pg-native is an optional dependency: its binding is compiled at npm install, against
  // libpq-dev, with a C compiler and Python for node-gyp. Where those were missing npm leaves it
  // out altogether, so nothing poolcheck installs afterwards can bring it back: npm has to run
  // again once they are there.
  libpq: {
    packages: [],
    present: () => canLoad('pg-native'),
    how: 'pg-native (an optional dependency) was not built when poolcheck was installed: apt-get install -y build-essential python3 libpq-dev, then run npm ci (or npm install) again',
  },
};

/** A variant (pgjdbc:pooler-safe) needs what its driver needs; raw, pg and postgres.js need nothing but npm's packages. */
export const prerequisiteOf = (driverId: string): Prerequisite | undefined => PREREQUISITES[driverId.split(':')[0]];

/** What to type to get what `missing` lacks: one apt-get line for the packages, then what else it takes. */
export function installAdvice(missing: readonly Prerequisite[]): string {
  const packages = [...new Set(missing.flatMap((p) => p.packages))];
  return [
    packages.length ? `apt-get install -y --no-install-recommends ${packages.join(' ')}` : '',
    ...new Set(missing.flatMap((p) => (p.how ? [p.how] : []))),
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * Makes the chosen drivers able to run: installs the Debian packages of those that cannot yet
 * when allowed (as root). Those still missing are refused in one line when the user named them
 * (--drivers); in a default run (every driver) they are left out, and each is named with what
 * it needs, so a machine that has Node alone still certifies with the drivers it can run.
 */
export function ensureDriverPrerequisites(
  driverIds: readonly string[],
  opts: { readonly allowInstall: boolean; readonly named: boolean },
): { readonly usable: string[]; readonly leftOut: string[] } {
  const bases = [...new Set(driverIds.map((id) => id.split(':')[0]))];
  const missing = () =>
    bases.filter((id) => {
      const p = prerequisiteOf(id);
      return p !== undefined && !p.present();
    });
  const first = missing();
  const packages = [...new Set(first.flatMap((id) => prerequisiteOf(id)!.packages))];
  if (packages.length && opts.allowInstall && process.getuid?.() === 0) aptInstall(packages);
  const still = first.length ? missing() : [];
  if (!still.length) return { usable: [...driverIds], leftOut: [] };
  const advice = installAdvice(still.map((id) => prerequisiteOf(id)!));
  if (opts.named) throw new Error(`driver(s) ${still.join(', ')} cannot run here: ${advice} (or leave them out with --drivers)`);
  const out = (id: string) => still.includes(id.split(':')[0]);
  return {
    usable: driverIds.filter((id) => !out(id)),
    leftOut: still.map(
      (id) => `driver ${id} left out: it cannot run here (${installAdvice([prerequisiteOf(id)!])}); poolcheck doctor lists what each driver needs`,
    ),
  };
}
