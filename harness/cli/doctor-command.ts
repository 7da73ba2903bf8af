// `poolcheck doctor`: what this machine has for the targets and drivers asked for, what it lacks,
// and the command that installs each missing piece. It changes nothing (a run installs, as
// root; doctor only looks), so a CI job can print it before the run, or a user before a first
// run on a new machine. Exit 0 when everything is there, 1 when something is missing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { driver } from '../drivers/registry.ts';
import { installAdvice, prerequisiteOf } from '../drivers/prerequisites.ts';
import { UsageError } from '../kernel/errors.ts';
import { poolerAdapter, poolerIds, type PoolerId } from '../poolers/registry.ts';
import { findBinary, findPostgresBinDir, MissingBinaryError, POSTGRES_PACKAGE, versionLine } from '../targets/binaries.ts';
import { parseTargets } from '../targets/target-spec.ts';
import type { Options } from './args.ts';
import { loadConfig } from './config.ts';

interface Check {
  readonly what: string;
  /** Where it is and what it says, when present. */
  readonly found?: string;
  /** Why it cannot be used, and the command that fixes it, when not. */
  readonly missing?: string;
  /** The Debian packages that provide it, for the one install line at the end. */
  readonly packages?: readonly string[];
}

const quietly = (f: () => string): string | Error => {
  try {
    return f();
  } catch (e) {
    return e as Error;
  }
};

function binaryCheck(what: string, aptPackage: string, locate: () => string): Check {
  const found = quietly(locate);
  if (found instanceof Error)
    return { what, missing: found.message.split('\n')[0], ...(found instanceof MissingBinaryError ? { packages: [aptPackage] } : {}) };
  const version = quietly(() => versionLine(found));
  return { what, found: `${found} (${version instanceof Error ? 'no --version' : version})` };
}

/** As root the servers run as postgres, which Debian's postgresql-15 package creates. */
function serverUserCheck(): Check | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  return line
    ? { what: 'server user', found: `postgres (uid ${line.split(':')[2]}): poolcheck runs as root, so the servers run as postgres` }
    : {
        what: 'server user',
        missing: "no postgres user to run the servers as: Debian's postgresql-15 creates it (a run as root installs it)",
        packages: ['postgresql-15'],
      };
}

function targetChecks(o: Options): Check[] {
  const specs = parseTargets(o.get('targets').join(','));
  const pgBinDir = o.get('pg-bindir');
  const checks = [binaryCheck('postgres', POSTGRES_PACKAGE, () => path.join(findPostgresBinDir(pgBinDir, false), 'postgres'))];
  for (const id of [...new Set(specs.flatMap((s) => (s.pooler && poolerIds.includes(s.pooler as PoolerId) ? [s.pooler as PoolerId] : [])))]) {
    const a = poolerAdapter(id);
    const explicit = o.get(`${id}-bin`);
    checks.push(
      binaryCheck(id, a.binary.aptPackage, () =>
        findBinary({
          program: a.binary.program,
          aptPackage: a.binary.aptPackage,
          flag: `--${id}-bin PATH`,
          explicit,
          candidates: () => [...a.binary.candidates],
          allowInstall: false,
        }),
      ),
    );
  }
  const user = serverUserCheck();
  return user ? [...checks, user] : checks;
}

function driverChecks(o: Options): Check[] {
  const ids = o.get('drivers');
  for (const id of ids) {
    try {
      driver(id);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return [...new Set(ids.map((id) => id.split(':')[0]))].map((id): Check => {
    const p = prerequisiteOf(id);
    if (!p) return { what: `driver ${id}`, found: "needs nothing beyond npm's packages" };
    return p.present()
      ? { what: `driver ${id}`, found: p.packages.length ? `has ${p.packages.join(', ')}` : 'built' }
      : { what: `driver ${id}`, missing: installAdvice([p]), packages: p.packages };
  });
}

export async function doctorCommand(given: Options, positionals: readonly string[]): Promise<number> {
  if (positionals.length) throw new UsageError(`poolcheck doctor takes options only, not "${positionals[0]}" (poolcheck doctor --help)`);
  const o = given.withConfig(await loadConfig(given.get('config')));
  const checks = [...targetChecks(o), ...driverChecks(o)];
  const width = Math.max(...checks.map((c) => c.what.length)) + 2;
  for (const c of checks) process.stdout.write(`${c.missing ? 'MISSING' : 'ok     '}  ${c.what.padEnd(width)}${c.missing ?? c.found}\n`);
  const missing = checks.filter((c) => c.missing);
  const packages = [...new Set(missing.flatMap((c) => c.packages ?? []))];
  if (packages.length)
    process.stdout.write(`\nto install the Debian packages missing (as root): apt-get install -y --no-install-recommends ${packages.join(' ')}\n`);
  if (!missing.length) process.stdout.write('\nall that these targets and drivers need is here\n');
  return missing.length ? 1 : 0;
}
