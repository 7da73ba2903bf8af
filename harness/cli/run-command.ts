// `poolcheck run`: the options read into a plan (nothing starts, nothing is written until it
// holds), handed to the run (run/execute-run.ts), and what it gathered printed.
import { randomBytes } from 'node:crypto';
import { fstatSync } from 'node:fs';
import path from 'node:path';
import { driver } from '../drivers/registry.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import { asUsage, UsageError } from '../kernel/errors.ts';
import { weakSecretWarnings } from '../kernel/weak-secret.ts';
import { loadProfileFile } from '../poolers/profile-file.ts';
import { OutFolderError, stagingFolder } from '../report/out-folder.ts';
import { relocator } from '../report/relocate.ts';
import { redaction } from '../report/redact.ts';
import { readResultsFile } from '../report/results-file.ts';
import { selectScenarios } from '../scenario/catalog.ts';
import { parseShard } from '../scenario/shard.ts';
import { backendsNeeded } from '../scenario/stress.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../targets/postgres-cluster.ts';
import { ensureServerUser } from '../targets/server-user.ts';
import { executeRun } from '../run/execute-run.ts';
import { interruptRun } from '../targets/processes.ts';
import type { RunPlan } from '../run/run-plan.ts';
import type { Options } from './args.ts';
import { loadCatalogFor } from './case-folders.ts';
import { loadConfig } from './config.ts';
import { githubMode } from './github-mode.ts';
import { onOutputClosed } from './output-streams.ts';
import { consoleProgress } from './progress.ts';
import { chooseProvider } from './provider-choice.ts';
import { printSummary } from './summary-line.ts';

/** The exit status a shell reports for a program SIGPIPE killed (128 + 13). */
const SIGPIPE_EXIT = 141;

/** stdout and stderr write to one file, pipe or terminal (`2>&1`): a line for both is written once. */
function stdoutIsStderr(): boolean {
  try {
    const [x, y] = [fstatSync(1), fstatSync(2)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

async function planRun(given: Options, positionals: readonly string[]): Promise<RunPlan> {
  if (positionals.length) throw new UsageError(`poolcheck run takes options only, not "${positionals[0]}" (poolcheck --help)`);
  const o = given.withConfig(await loadConfig(given.get('config')));
  const runId = randomBytes(3).toString('hex');
  const asked = o.get('drivers').map((d) => {
    try {
      return driver(d);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  const catalog = await loadCatalogFor(o);
  const globs = o.get('scenarios')?.join(',');
  const scenarios = selectScenarios(catalog.scenarios, globs);
  const broken = selectScenarios(catalog.broken, globs);
  if (!scenarios.length && !broken.length) throw new UsageError(`--scenarios ${globs} matches no scenario; try \`poolcheck list scenarios\``);
  const out = path.resolve(o.get('out'));
  const lanes = o.get('lanes');
  const profiles = o.get('profile').map((file) => asUsage(() => loadProfileFile(file)));
  const overrides = { stressClients: o.get('stress-clients'), stressRoles: o.get('stress-roles') };
  const maxConnections = backendsNeeded(scenarios, overrides, DEFAULT_MAX_CONNECTIONS);
  const chosen = chooseProvider({ options: o, profiles, runId, logDir: path.join(stagingFolder(out, runId), 'logs'), lanes, maxConnections });
  const shardText = o.get('shard');
  const shard = shardText !== undefined ? asUsage(() => parseShard(shardText)) : undefined;
  const baselineFile = o.get('baseline');
  const baseline = baselineFile ? asUsage(() => readResultsFile(baselineFile)) : undefined;
  // Last: it may install packages, which only a run that holds together should do.
  const { usable, leftOut } = ensureDriverPrerequisites(
    asked.map((d) => d.id),
    { allowInstall: !o.get('no-install'), named: o.has('drivers') },
  );
  const drivers = asked.filter((d) => usable.includes(d.id));
  if (chosen.provider.id === 'local') ensureServerUser(!o.get('no-install'));
  return {
    runId,
    drivers,
    features: catalog.features,
    warnings: [...catalog.warnings, ...leftOut.map((w) => `poolcheck: warning: ${w}`)],
    reportWarnings: leftOut,
    scenarios,
    broken,
    out,
    chosen,
    profiles,
    stepTimeoutMs: o.get('step-timeout'),
    overrides,
    quiet: o.get('quiet'),
    lanes,
    defaultTargets: !o.has('targets') && o.get('provider') !== 'external',
    shard,
    repeatEach: o.get('repeat-each'),
    retries: o.get('retries'),
    strict: o.get('strict'),
    maxFailures: o.get('max-failures'),
    baseline,
  };
}

export async function runCommand(given: Options, positionals: readonly string[]): Promise<number> {
  const plan = await planRun(given, positionals);
  // Each starts file:line:col (or file: step N), so an editor can jump to it; reported before any server starts.
  for (const line of [...plan.warnings, ...plan.broken.flatMap((b) => b.problems)]) process.stderr.write(`${line}\n`);
  for (const line of weakSecretWarnings(plan.chosen.secrets())) process.stderr.write(`poolcheck: warning: ${line}\n`);
  const redact = redaction(plan.chosen.secrets()).anywhere;
  // A closed stdout or stderr (a reader that went away) ends the run as SIGPIPE would end a
  // program that does not ignore it, but as an interrupted run: what finished is published and
  // every server stops. Once the reports are out, a reader gone changes nothing.
  let published = false;
  const unwatch = onOutputClosed((c) => {
    if (!published) interruptRun(`${c.stream} closed (${c.code})`, SIGPIPE_EXIT);
  });
  try {
    // A log file is named where it will be once the reports are out (report/relocate.ts).
    const relocate = relocator(stagingFolder(plan.out, plan.runId), plan.out);
    const { report, exitCode } = await executeRun(plan, {
      note: (line) => process.stderr.write(`poolcheck: ${relocate(line)}\n`),
      progress: consoleProgress(plan.quiet, relocate),
      published: (r) => {
        published = true;
        printSummary(r, plan.out, redact, plan.strict);
      },
    });
    githubMode(report, plan.strict);
    return exitCode;
  } catch (err) {
    // The reports could not be written (a full disk): stdout, where the verdict line goes, says
    // so too, unless it is where stderr goes (main prints the line there).
    if (err instanceof OutFolderError && !stdoutIsStderr()) process.stdout.write(`poolcheck: ${redact(err.message)}\n`);
    throw err;
  } finally {
    unwatch();
  }
}
