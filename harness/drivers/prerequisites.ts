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

interface Prerequisite {
  readonly packages: readonly string[];
  present(): boolean;
  /** What else to do after installing the packages, if anything. */
  readonly after?: string;
}

const pythonModule = (module: string): Prerequisite => ({
  packages: ['python3', `python3-${module}`],
  present: () => existsSync(DEBIAN_PYTHON) && spawnSync(DEBIAN_PYTHON, ['-I', '-c', `import ${module}`], { stdio: 'ignore', timeout: TIMEOUT_MS.packageCheck }).status === 0,
});

const canLoad = (mod: string) => {
  try { createRequire(import.meta.url)(mod); return true; } catch { return false; }
};

const PREREQUISITES: Record<string, Prerequisite> = {
  psycopg: pythonModule('psycopg'),
  asyncpg: pythonModule('asyncpg'),
  pgjdbc: {
    packages: ['libpostgresql-jdbc-java', 'default-jre-headless'],
    present: () => existsSync('/usr/share/java/postgresql.jar') && (existsSync('/usr/lib/jvm/default-java/bin/java') || spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0),
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
    present: () => spawnSync(DEBIAN_PHP, ['-r', 'exit(extension_loaded("pdo_pgsql") && function_exists("pcntl_fork") ? 0 : 1);'], { stdio: 'ignore', timeout: TIMEOUT_MS.packageCheck }).status === 0,
  },
  // Debian's crates (librust-*-dev) are the sources cargo builds from, offline.
  'tokio-postgres': {
    packages: ['cargo', 'rustc', ...TOKIO_POSTGRES_CRATES],
    present: () => existsSync(DEBIAN_CARGO) && existsSync(DEBIAN_RUSTC) && tokioPostgresCratesPresent(),
  },
  // pg-native's binding is built by `npm ci` against libpq-dev; installing the package later
  // needs a rebuild of the binding.
  libpq: { packages: ['libpq-dev'], present: () => canLoad('pg-native'), after: 'npm rebuild libpq' },
};

/** A variant (pgjdbc:pooler-safe) needs what its driver needs. */
const of = (driverId: string) => PREREQUISITES[driverId.split(':')[0]];

/**
 * Makes sure the chosen drivers can run: installs what is missing when allowed (as root),
 * otherwise throws one line naming the packages.
 */
export function ensureDriverPrerequisites(driverIds: readonly string[], allowInstall: boolean): void {
  const missing = [...new Set(driverIds.map((id) => id.split(':')[0]))].filter((id) => of(id) && !of(id).present());
  if (!missing.length) return;
  const packages = [...new Set(missing.flatMap((id) => of(id).packages))];
  if (allowInstall && process.getuid?.() === 0) {
    aptInstall(packages);
    for (const id of missing) {
      const p = of(id);
      if (!p.present() && p.after) spawnSync('sh', ['-c', p.after], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
  const still = missing.filter((id) => !of(id).present());
  if (still.length) {
    const after = still.map((id) => of(id).after).filter(Boolean);
    throw new Error(`driver(s) ${still.join(', ')} cannot run here: install ${[...new Set(still.flatMap((id) => of(id).packages))].join(' ')} with apt-get${after.length ? `, then ${after.join(', ')}` : ''} (or leave them out with --drivers)`);
  }
}
