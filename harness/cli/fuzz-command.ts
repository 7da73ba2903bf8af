// `poolcheck fuzz`: the options read (as `run` reads them: provider, targets, profiles), the
// fuzzer run (fuzz/fuzz-run.ts), its progress on one stderr line and its counts on stdout.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver } from '../drivers/registry.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import { asUsage, UsageError } from '../kernel/errors.ts';
import { loadProfileFile } from '../poolers/profile-file.ts';
import { ensureServerUser } from '../targets/server-user.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../targets/postgres-cluster.ts';
import { executeFuzz, type FuzzSummary } from '../fuzz/fuzz-run.ts';
import type { Options } from './args.ts';
import { loadConfig } from './config.ts';
import { chooseProvider } from './provider-choice.ts';

const counts = (s: FuzzSummary) => {
  const doc = s.documented.reduce((n, f) => n + f.count, 0);
  const fresh = s.signatures.reduce((n, f) => n + f.count, 0);
  return `${s.programs} programs (${s.dropped} dropped as nondeterministic on PostgreSQL), divergences: ${fresh} new in ${s.signatures.length} signature(s), ${doc} documented in ${s.documented.length} class(es)`;
};

export async function fuzzCommand(given: Options, positionals: readonly string[]): Promise<number> {
  if (positionals.length) throw new UsageError(`poolcheck fuzz takes options only, not "${positionals[0]}" (poolcheck help fuzz)`);
  const o = given.withConfig(await loadConfig(given.get('config')));
  if (!o.has('targets') && o.get('provider') !== 'external')
    throw new UsageError('poolcheck fuzz needs --targets (e.g. --targets pgbouncer:transaction; --targets direct runs PostgreSQL against itself)');
  const ids = o.get('drivers');
  if (ids.length !== 1) throw new UsageError(`poolcheck fuzz runs one driver at a time: --drivers names ${ids.length}`);
  const d = asUsage(() => driver(ids[0]));
  const runId = randomBytes(3).toString('hex');
  const seed = o.get('seed') ?? randomBytes(4).toString('hex');
  const seconds = o.get('seconds');
  const out = path.resolve(o.get('out'));
  const profiles = o.get('profile').map((file) => asUsage(() => loadProfileFile(file)));
  // PostgreSQL against itself runs its baseline and its compared runs in two lanes.
  const aa = o.has('targets') && o.get('targets').every((t) => t === 'direct');
  const chosen = chooseProvider({
    options: o,
    profiles,
    runId,
    logDir: path.join(out, 'logs'),
    lanes: aa ? 2 : 1,
    maxConnections: DEFAULT_MAX_CONNECTIONS,
  });
  const { usable, leftOut } = ensureDriverPrerequisites([d.id], { allowInstall: !o.get('no-install'), named: true });
  if (!usable.includes(d.id)) throw new UsageError(leftOut[0] ?? `driver ${d.id} cannot run here`);
  if (chosen.provider.id === 'local') ensureServerUser(!o.get('no-install'));
  const quiet = o.get('quiet');
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  if (!quiet)
    process.stderr.write(
      `poolcheck fuzz ${runId}: seed ${seed}, ${seconds} s, targets ${chosen.targets.map((t) => t.id).join(',')}, driver ${d.id}, out ${path.relative(process.cwd(), out) || '.'}\n`,
    );
  const { summary, exitCode } = await executeFuzz(
    { runId, seed, seconds, out, driver: d, chosen, profiles, stepTimeoutMs: o.get('step-timeout') },
    {
      note: (line) => {
        if (!quiet) process.stderr.write(`${tty ? '\r\x1b[2K' : ''}poolcheck: ${line}\n`);
      },
      progress(s, ms, final) {
        if (quiet) return;
        const line = `fuzz ${(ms / 1000).toFixed(0)}s: ${counts(s)}`;
        // A line every 10 s where stderr is no terminal.
        if (tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}${final ? '\n' : ''}`);
        else if (final || ms - lastLine >= 10_000) {
          lastLine = ms;
          process.stderr.write(`${line}\n`);
        }
      },
    },
  );
  process.stdout.write(
    `${summary.interrupted ? `interrupted (${summary.interrupted}): ` : ''}${counts(summary)}; seed ${seed}; ${path.join(path.relative(process.cwd(), out) || '.', 'fuzz.json')}\n`,
  );
  for (const f of summary.signatures)
    process.stdout.write(`NEW ${f.target} ${f.signature} x${f.count}: ${f.case ?? '(no case)'} (${f.steps ?? '?'} steps)\n`);
  for (const f of summary.documented)
    process.stdout.write(`documented ${f.target} ${f.signature} x${f.count}: ${f.case ?? '(no case)'} (${f.steps ?? '?'} steps): ${f.reason}\n`);
  return exitCode;
}
