import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver, driverIds } from '../drivers/registry.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import type { Driver } from '../drivers/session.ts';
import { straysOutsideScenarios } from '../kernel/strays.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import { withKnownIssues } from '../poolers/known-issue.ts';
import { publishedAnswers, type Profile } from '../poolers/profile.ts';
import { loadProfileFile } from '../poolers/profile-file.ts';
import { assembleReport, targetFacts } from '../report/assemble.ts';
import { redactor } from '../report/redact.ts';
import { countByVerdict, exitCode, type RunReport } from '../report/run-report.ts';
import { OutFolder, stagingFolder } from '../report/out-folder.ts';
import { writeReport } from '../report/write-report.ts';
import { selectScenarios, type Catalog } from '../scenario/catalog.ts';
import { runMatrix, type MatrixState } from '../scenario/matrix.ts';
import { scenarioTraits } from '../scenario/traits.ts';
import { onInterrupt, reapLeftovers, runStateDir, stopAll } from '../targets/processes.ts';
import type { Provider } from '../targets/started-target.ts';
import { targetEffectiveSettings, targetSettingsProblem, withToggledSettings } from '../targets/target-settings.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import { UsageError, type Options } from './args.ts';
import { loadCatalogFor } from './case-folders.ts';
import { loadConfig } from './config.ts';
import { consoleProgress } from './progress.ts';
import { chooseProvider, type ChosenProvider } from './provider-choice.ts';
import { POOLCHECK_VERSION } from './version.ts';

export const DEFAULT_TARGETS = 'direct,pgbouncer:session,pgbouncer:transaction,pgbouncer:statement,pgpool:cache';
export const DEFAULT_OUT = 'reports/latest';
export const DEFAULT_LANES = 3;

const usage = <T>(f: () => T): T => {
  try { return f(); } catch (e) { throw new UsageError((e as Error).message); }
};

/** Everything a run needs, read from the options before anything starts or is written. */
interface RunPlan {
  readonly runId: string;
  readonly drivers: readonly Driver[];
  readonly catalog: Catalog;
  readonly scenarios: Catalog['scenarios'];
  readonly broken: Catalog['broken'];
  readonly out: string;
  readonly stepTimeoutMs: number;
  readonly quiet: boolean;
  readonly chosen: ChosenProvider;
  readonly profiles: readonly Profile[];
  /** The targets were not named: a default certification adds each release's feature switches. */
  readonly defaultTargets: boolean;
}

async function planRun(given: Options, positionals: readonly string[]): Promise<RunPlan> {
  if (positionals.length) throw new UsageError(`poolcheck run takes options only, not "${positionals[0]}" (poolcheck --help)`);
  const o = given.withDefaults(loadConfig(given.text('config')));
  const runId = randomBytes(3).toString('hex');
  const drivers = (o.list('drivers') ?? driverIds).map((d) => {
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
  const chosen = chooseProvider({ options: o, profiles, runId, logDir: path.join(stagingFolder(out, runId), 'logs'), lanes, defaultTargets: DEFAULT_TARGETS });
  ensureDriverPrerequisites(drivers.map((d) => d.id), !o.flag('no-install'));
  return {
    runId, drivers, catalog, scenarios, broken, out, chosen, profiles, stepTimeoutMs: o.int('step-timeout') ?? TIMEOUT_MS.step, quiet: o.flag('quiet'),
    defaultTargets: !o.has('targets') && o.text('provider') !== 'external',
  };
}

/** The release each pooler runs (read before anything starts), and the targets checked against it. */
async function finalTargets(provider: Provider, targets: readonly TargetSpec[], defaulted: boolean): Promise<TargetSpec[]> {
  const versions = new Map<string, string | null>();
  for (const pooler of new Set(targets.flatMap((t) => (t.pooler ? [t.pooler] : [])))) versions.set(pooler, await provider.poolerVersion(pooler));
  const versionOf = (pooler: string) => versions.get(pooler) ?? null;
  const problem = targetSettingsProblem(targets, versionOf);
  if (problem) throw new UsageError(problem);
  return defaulted ? withToggledSettings(targets, versionOf) : [...targets];
}

function printSummary(report: RunReport, out: string, redact: (s: string) => string): void {
  const c = countByVerdict(report.results);
  for (const w of report.warnings) process.stdout.write(`warning: ${w}\n`);
  process.stdout.write(`${report.results.length} results in ${(report.run.durationMs / 1000).toFixed(1)} s: ${c.ok} ok, ${c.documented} documented, ${c.changed} changed, ${c.regression} regression, ${c.improved} improved, ${c.unprofiled} unprofiled, ${c.error} error\n`);
  for (const r of report.results.filter((x) => x.verdict === 'regression' || x.verdict === 'changed' || x.verdict === 'error').slice(0, 20)) {
    process.stdout.write(`  ${r.verdict.toUpperCase()} ${r.scenario} on ${r.target} with ${r.driver}: ${redact(r.message ?? '')}\n`);
  }
  process.stdout.write(`report: ${path.relative(process.cwd(), path.join(out, 'summary.md')) || out} (report.html, feature-map.md, results.json, junit.xml, transcripts/, logs/ beside it)\n`);
}

export async function runCommand(given: Options, positionals: readonly string[]): Promise<number> {
  const plan = await planRun(given, positionals);
  const { runId, drivers, scenarios, broken, out, quiet, chosen } = plan;
  // Each starts file:line:col (or file: step N), so an editor can jump to it; reported before any server starts.
  for (const line of broken.flatMap((b) => b.problems)) process.stderr.write(`${line}\n`);
  const { provider } = chosen;
  const reaped = reapLeftovers();
  if (reaped) process.stderr.write(`poolcheck: stopped ${reaped} server process(es) left by an earlier run that was killed\n`);
  runStateDir(runId);
  const folder = usage(() => OutFolder.open(out, runId, (line) => process.stderr.write(`poolcheck: ${line}\n`)));
  for (const orphan of folder.orphans) process.stderr.write(`poolcheck: a run killed before it could write its reports left its results in ${path.join(orphan, 'journal.jsonl')}\n`);
  const state: MatrixState = { results: [], targets: [] };
  let targets: TargetSpec[] = [];
  const startedAt = new Date();
  const finish = (interrupted?: { reason: string; planned: number }) => {
    const report = publishReport(plan, folder, { targets, state, startedAt, interrupted });
    printSummary(report, out, redactor(chosen.secrets()));
    return report;
  };
  // An interrupted run publishes what it finished; one that finished nothing keeps the previous reports.
  const unhook = onInterrupt((signal) => {
    if (state.results.length) finish({ reason: signal, planned: (scenarios.length + broken.length) * drivers.length * targets.length });
    folder.close();
  });
  try {
    const notes = await chosen.prepare();
    targets = await finalTargets(provider, chosen.targets, plan.defaultTargets);
    if (!quiet) for (const note of notes) process.stderr.write(`poolcheck: ${note}\n`);
    const total = (scenarios.length + broken.length) * drivers.length * targets.length;
    if (!quiet) process.stderr.write(`poolcheck ${POOLCHECK_VERSION} run ${runId}: ${scenarios.length + broken.length} scenarios x ${drivers.length} drivers x ${targets.length} targets = ${total} runs\n`);
    const progress = consoleProgress(quiet);
    await runMatrix({
      runId, targets, drivers, scenarios, broken, provider, stepTimeoutMs: plan.stepTimeoutMs,
      progress: { ...progress, result: (r, done, all) => { folder.record(r); progress.result(r, done, all); } },
    }, state);
    const report = finish();
    const strays = straysOutsideScenarios();
    if (strays.length) process.stderr.write(`poolcheck: ${strays.length} error(s) outside any scenario (above); the run's results may be incomplete\n`);
    folder.close();
    return strays.length ? 2 : exitCode(report);
  } finally {
    unhook();
    folder.release();
    await stopAll();
  }
}

/** Judges what the run gathered, writes the reports and puts them in place of the previous ones. */
function publishReport(plan: RunPlan, folder: OutFolder, run: {
  targets: readonly TargetSpec[]; state: MatrixState; startedAt: Date; interrupted?: { reason: string; planned: number };
}): RunReport {
  // A case's known issues join its pooler's profile, so a case is judged as the built-in scenarios are.
  const merged = new Map<string, Profile | undefined>();
  const profileOf = (pooler: string) => {
    if (!merged.has(pooler)) merged.set(pooler, withKnownIssues(findPooler(pooler, plan.profiles), plan.scenarios));
    return merged.get(pooler);
  };
  const settingsOf = (t: TargetSpec, version: string | null) => targetEffectiveSettings(t, version);
  const ordered = run.targets.map((spec) => run.state.targets.find((r) => r.spec.id === spec.id) ?? { spec, startMs: 0 });
  const { report, transcripts } = assembleReport({
    runId: plan.runId, startedAt: run.startedAt, finishedAt: new Date(), poolcheckVersion: POOLCHECK_VERSION, provider: plan.chosen.provider.id,
    scenarios: [...plan.scenarios.map((s) => ({ id: s.id, traits: scenarioTraits(s) })), ...plan.broken.map((b) => ({ id: b.id, traits: new Set<never>() }))],
    targets: ordered, drivers: plan.drivers, results: run.state.results, profileOf, settingsOf, interrupted: run.interrupted,
  });
  const redact = redactor(plan.chosen.secrets());
  folder.publish((dir) => writeReport(dir, report, transcripts, redact, {
    features: plan.catalog.features,
    published: (target) => {
      const t = ordered.find((x) => x.spec.id === target);
      return t?.spec.pooler ? publishedAnswers(profileOf(t.spec.pooler), targetFacts({ settingsOf }, t)) : undefined;
    },
  }));
  return report;
}
