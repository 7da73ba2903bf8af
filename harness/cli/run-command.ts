// `poolcheck run`: the options read into a plan (nothing starts, nothing is written until it
// holds), handed to the run (run/execute-run.ts), and what it gathered printed.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver, driverIds } from '../drivers/registry.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import { UsageError } from '../kernel/errors.ts';
import { weakSecretWarnings } from '../kernel/weak-secret.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { loadProfileFile } from '../poolers/profile-file.ts';
import { stagingFolder } from '../report/out-folder.ts';
import { relocator } from '../report/relocate.ts';
import { redaction } from '../report/redact.ts';
import { readResultsFile } from '../report/results-file.ts';
import { selectScenarios } from '../scenario/catalog.ts';
import { parseShard } from '../scenario/shard.ts';
import { backendsNeeded } from '../scenario/stress.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../targets/postgres-cluster.ts';
import { ensureServerUser } from '../targets/server-user.ts';
import { executeRun } from '../run/execute-run.ts';
import type { RunPlan } from '../run/run-plan.ts';
import type { Options } from './args.ts';
import { loadCatalogFor } from './case-folders.ts';
import { loadConfig } from './config.ts';
import { githubMode } from './github-mode.ts';
import { consoleProgress } from './progress.ts';
import { chooseProvider } from './provider-choice.ts';
import { printSummary } from './summary-line.ts';

export const DEFAULT_TARGETS = 'direct,pgbouncer:session,pgbouncer:transaction,pgbouncer:statement,pgpool:cache';
export const DEFAULT_OUT = 'reports/latest';
export const DEFAULT_LANES = 3;

const usage = <T>(f: () => T): T => {
  try { return f(); } catch (e) { throw new UsageError((e as Error).message); }
};

async function planRun(given: Options, positionals: readonly string[]): Promise<RunPlan> {
  if (positionals.length) throw new UsageError(`poolcheck run takes options only, not "${positionals[0]}" (poolcheck --help)`);
  const o = given.withDefaults(await loadConfig(given.text('config')));
  const runId = randomBytes(3).toString('hex');
  const asked = (o.list('drivers') ?? driverIds).map((d) => {
    try { return driver(d); } catch (e) { throw new UsageError((e as Error).message); }
  });
  const catalog = await loadCatalogFor(o);
  const globs = o.list('scenarios')?.join(',');
  const scenarios = selectScenarios(catalog.scenarios, globs);
  const broken = selectScenarios(catalog.broken, globs);
  if (!scenarios.length && !broken.length) throw new UsageError(`--scenarios ${globs} matches no scenario; try \`poolcheck list scenarios\``);
  const out = path.resolve(o.text('out') ?? DEFAULT_OUT);
  const lanes = o.int('lanes') ?? DEFAULT_LANES;
  const profiles = (o.list('profile') ?? []).map((file) => {
    try { return loadProfileFile(file); } catch (e) { throw new UsageError((e as Error).message); }
  });
  const maxConnections = backendsNeeded(scenarios, o.int('stress-clients'), DEFAULT_MAX_CONNECTIONS, o.int('stress-roles'));
  const chosen = chooseProvider({ options: o, profiles, runId, logDir: path.join(stagingFolder(out, runId), 'logs'), lanes, maxConnections, defaultTargets: DEFAULT_TARGETS });
  const shard = o.text('shard') !== undefined ? usage(() => parseShard(o.text('shard')!)) : undefined;
  const baselineFile = o.text('baseline');
  const baseline = baselineFile ? usage(() => readResultsFile(baselineFile)) : undefined;
  // Last: it may install packages, which only a run that holds together should do.
  const { usable, leftOut } = ensureDriverPrerequisites(asked.map((d) => d.id), { allowInstall: !o.flag('no-install'), named: o.has('drivers') });
  const drivers = asked.filter((d) => usable.includes(d.id));
  if (chosen.provider.id === 'local') ensureServerUser(!o.flag('no-install'));
  return {
    runId, drivers, features: catalog.features, warnings: [...catalog.warnings, ...leftOut.map((w) => `poolcheck: warning: ${w}`)], reportWarnings: leftOut, scenarios, broken, out, chosen, profiles, stepTimeoutMs: o.int('step-timeout') ?? TIMEOUT_MS.step, stressClients: o.int('stress-clients'), stressRoles: o.int('stress-roles'), quiet: o.flag('quiet'), lanes,
    defaultTargets: !o.has('targets') && o.text('provider') !== 'external',
    shard, repeatEach: o.int('repeat-each') ?? 1, retries: o.int('retries') ?? 0, strict: o.flag('strict'), maxFailures: o.int('max-failures'), baseline,
  };
}

export async function runCommand(given: Options, positionals: readonly string[]): Promise<number> {
  const plan = await planRun(given, positionals);
  // Each starts file:line:col (or file: step N), so an editor can jump to it; reported before any server starts.
  for (const line of [...plan.warnings, ...plan.broken.flatMap((b) => b.problems)]) process.stderr.write(`${line}\n`);
  for (const line of weakSecretWarnings(plan.chosen.secrets())) process.stderr.write(`poolcheck: warning: ${line}\n`);
  const redact = redaction(plan.chosen.secrets()).anywhere;
  const { report, exitCode } = await executeRun(plan, {
    note: (line) => process.stderr.write(`poolcheck: ${line}\n`),
    progress: consoleProgress(plan.quiet, relocator(stagingFolder(plan.out, plan.runId), plan.out)),
    published: (r) => printSummary(r, plan.out, redact, plan.strict),
  });
  githubMode(report, plan.strict);
  return exitCode;
}
