// `poolcheck run`: the options read into the record the run takes (run/run-plan.ts), the run
// (run/execute-run.ts), and what it says printed: its warnings before any server starts, its
// progress on stderr, and the verdict line once the reports are out.
import { fstatSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { weakSecretWarnings } from '../kernel/weak-secret.ts';
import { OutFolderError } from '../report/out-folder.ts';
import { redaction } from '../report/redact.ts';
import { executeRun } from '../run/execute-run.ts';
import type { RunOptions } from '../run/run-plan.ts';
import type { Options } from './args.ts';
import { catalogChoice } from './catalog-choice.ts';
import { loadConfig } from './config.ts';
import { githubMode } from './github-mode.ts';
import { consoleProgress } from './progress.ts';
import { providerOptions } from './provider-options.ts';
import { printSummary } from './summary-line.ts';

/** stdout and stderr write to one file, pipe or terminal (`2>&1`): a line for both is written once. */
function stdoutIsStderr(): boolean {
  try {
    const [x, y] = [fstatSync(1), fstatSync(2)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

async function runOptions(given: Options, positionals: readonly string[]): Promise<RunOptions> {
  if (positionals.length) throw new UsageError(`poolcheck run takes options only, not "${positionals[0]}" (poolcheck --help)`);
  const o = given.withConfig(await loadConfig(given.get('config')));
  return {
    drivers: o.get('drivers'),
    driversNamed: o.has('drivers'),
    catalog: catalogChoice(o),
    out: path.resolve(o.get('out')),
    profiles: o.get('profile'),
    overrides: { stressClients: o.get('stress-clients'), stressRoles: o.get('stress-roles') },
    lanes: o.get('lanes'),
    shard: o.get('shard'),
    baseline: o.get('baseline'),
    stepTimeoutMs: o.get('step-timeout'),
    quiet: o.get('quiet'),
    repeatEach: o.get('repeat-each'),
    retries: o.get('retries'),
    strict: o.get('strict'),
    maxFailures: o.get('max-failures'),
    provider: providerOptions(o),
  };
}

export async function runCommand(given: Options, positionals: readonly string[]): Promise<number> {
  const options = await runOptions(given, positionals);
  let redact = (text: string) => text;
  try {
    const { report, exitCode } = await executeRun(options, (plan) => {
      // Each starts file:line:col (or file: step N), so an editor can jump to it; reported before any server starts.
      for (const line of [...plan.warnings, ...plan.broken.flatMap((b) => b.problems)]) process.stderr.write(`${line}\n`);
      for (const line of weakSecretWarnings(plan.chosen.secrets())) process.stderr.write(`poolcheck: warning: ${line}\n`);
      redact = redaction(plan.chosen.secrets()).anywhere;
      return {
        note: (line) => process.stderr.write(`poolcheck: ${line}\n`),
        progress: consoleProgress(plan.quiet),
        published: (r) => printSummary(r, plan.out, redact, plan.strict),
      };
    });
    githubMode(report, options.strict);
    return exitCode;
  } catch (err) {
    // The reports could not be written (a full disk): stdout, where the verdict line goes, says
    // so too, unless it is where stderr goes (main prints the line there).
    if (err instanceof OutFolderError && !stdoutIsStderr()) process.stdout.write(`poolcheck: ${redact(err.message)}\n`);
    throw err;
  }
}
