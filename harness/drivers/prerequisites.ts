// What a driver needs from the machine besides npm packages. Checked before a run starts, so a
// missing library is one clear line (or, as root, an apt install like the servers get),
// instead of an error in every result of that driver.
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { aptInstall } from '../kernel/apt.ts';
import { DEBIAN_PYTHON } from './shim-path.ts';

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
