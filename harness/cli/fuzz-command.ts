// `poolcheck fuzz`: the options read (as `run` reads them: provider, targets, profiles), the
// fuzzer run (fuzz/fuzz-run.ts), its progress on one stderr line and its counts on stdout.
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { executeFuzz, type FuzzSummary } from '../fuzz/fuzz-run.ts';
import type { FuzzOptions } from '../fuzz/fuzz-plan.ts';
import type { Options } from './args.ts';
import { loadConfig } from './config.ts';
import { providerOptions } from './provider-options.ts';

const counts = (s: FuzzSummary) => {
  const doc = s.documented.reduce((n, f) => n + f.count, 0);
  const fresh = s.signatures.reduce((n, f) => n + f.count, 0);
  return `${s.programs} programs (${s.dropped} dropped as nondeterministic on PostgreSQL), divergences: ${fresh} new in ${s.signatures.length} signature(s), ${doc} documented in ${s.documented.length} class(es)`;
};

async function fuzzOptions(given: Options, positionals: readonly string[]): Promise<FuzzOptions> {
  if (positionals.length) throw new UsageError(`poolcheck fuzz takes options only, not "${positionals[0]}" (poolcheck help fuzz)`);
  const o = given.withConfig(await loadConfig(given.get('config')));
  if (!o.has('targets') && o.get('provider') !== 'external')
    throw new UsageError('poolcheck fuzz needs --targets (e.g. --targets pgbouncer:transaction; --targets direct runs PostgreSQL against itself)');
  const ids = o.get('drivers');
  if (ids.length !== 1) throw new UsageError(`poolcheck fuzz runs one driver at a time: --drivers names ${ids.length}`);
  return {
    driver: ids[0],
    seed: o.get('seed'),
    seconds: o.get('seconds'),
    out: path.resolve(o.get('out')),
    profiles: o.get('profile'),
    stepTimeoutMs: o.get('step-timeout'),
    quiet: o.get('quiet'),
    provider: providerOptions(o),
  };
}

export async function fuzzCommand(given: Options, positionals: readonly string[]): Promise<number> {
  const options = await fuzzOptions(given, positionals);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const { summary, exitCode } = await executeFuzz(options, (plan) => {
    const { quiet } = plan;
    if (!quiet)
      process.stderr.write(
        `poolcheck fuzz ${plan.runId}: seed ${plan.seed}, ${plan.seconds} s, targets ${plan.chosen.targets.map((t) => t.id).join(',')}, driver ${plan.driver.id}, out ${path.relative(process.cwd(), plan.out) || '.'}\n`,
      );
    return {
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
    };
  });
  const out = path.relative(process.cwd(), options.out) || '.';
  process.stdout.write(
    `${summary.interrupted ? `interrupted (${summary.interrupted}): ` : ''}${counts(summary)}; seed ${summary.seed}; ${path.join(out, 'fuzz.json')}\n`,
  );
  for (const f of summary.signatures)
    process.stdout.write(`NEW ${f.target} ${f.signature} x${f.count}: ${f.case ?? '(no case)'} (${f.steps ?? '?'} steps)\n`);
  for (const f of summary.documented)
    process.stdout.write(`documented ${f.target} ${f.signature} x${f.count}: ${f.case ?? '(no case)'} (${f.steps ?? '?'} steps): ${f.reason}\n`);
  return exitCode;
}
