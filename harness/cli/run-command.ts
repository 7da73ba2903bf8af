import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { driver, driverIds } from '../drivers/registry.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import type { Driver } from '../drivers/session.ts';
import { straysOutsideScenarios } from '../kernel/strays.ts';
import { weakSecretWarnings } from '../kernel/weak-secret.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import { withKnownIssues } from '../poolers/known-issue.ts';
import { publishedAnswers, type Profile } from '../poolers/profile.ts';
import { loadProfileFile } from '../poolers/profile-file.ts';
import { assembleReport, targetFacts } from '../report/assemble.ts';
import { diffRuns, reportSide } from '../report/diff.ts';
import { diffMarkdown } from '../report/diff-md.ts';
import { redaction, redactReport } from '../report/redact.ts';
import { readResultsFile, type ResultsFile } from '../report/results-file.ts';
import { exitCode, type RunReport } from '../report/run-report.ts';
import { OutFolder, stagingFolder } from '../report/out-folder.ts';
import { planFingerprint, SHARD_FILE, shardManifestJson } from '../report/shard-manifest.ts';
import { judge, type Verdict } from '../report/verdict.ts';
import { writeReport } from '../report/write-report.ts';
import { selectScenarios, type Catalog } from '../scenario/catalog.ts';
import { runMatrix, type MatrixPlan, type MatrixState } from '../scenario/matrix.ts';
import { estimateCost } from '../scenario/run-cost.ts';
import { backendsNeeded } from '../scenario/stress.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../targets/postgres-cluster.ts';
import { groupKey, parseShard, shardOwns, type Shard } from '../scenario/shard.ts';
import { scenarioTraits } from '../scenario/traits.ts';
import { Slots } from '../kernel/slots.ts';
import { onInterrupt, reapLeftovers, runStateDir, runStopped, stopAll } from '../targets/processes.ts';
import type { Provider, StartedTarget } from '../targets/started-target.ts';
import type { Scenario } from '../scenario/model.ts';
import type { ScenarioRun } from '../scenario/result.ts';
import { targetEffectiveSettings, targetSettingsProblem, withToggledSettings } from '../targets/target-settings.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import { UsageError, type Options } from './args.ts';
import { loadCatalogFor } from './case-folders.ts';
import { loadConfig } from './config.ts';
import { githubMode } from './github-mode.ts';
import { consoleProgress } from './progress.ts';
import { chooseProvider, type ChosenProvider } from './provider-choice.ts';
import { printSummary } from './summary-line.ts';
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
  readonly stressClients: number | undefined;
  readonly quiet: boolean;
  /** --lanes: scenarios run at once per target, on average over the run. */
  readonly lanes: number;
  readonly chosen: ChosenProvider;
  readonly profiles: readonly Profile[];
  /** The targets were not named: a default certification adds each release's feature switches. */
  readonly defaultTargets: boolean;
  readonly shard?: Shard;
  readonly repeatEach: number;
  readonly retries: number;
  readonly strict: boolean;
  /** The earlier run --baseline names, read before this one can overwrite it. */
  readonly baseline?: ResultsFile;
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
  const maxConnections = backendsNeeded(scenarios, o.int('stress-clients'), DEFAULT_MAX_CONNECTIONS);
  const chosen = chooseProvider({ options: o, profiles, runId, logDir: path.join(stagingFolder(out, runId), 'logs'), lanes, maxConnections, defaultTargets: DEFAULT_TARGETS });
  const shard = o.text('shard') !== undefined ? usage(() => parseShard(o.text('shard')!)) : undefined;
  const baselineFile = o.text('baseline');
  const baseline = baselineFile ? usage(() => readResultsFile(baselineFile)) : undefined;
  ensureDriverPrerequisites(drivers.map((d) => d.id), !o.flag('no-install'));
  return {
    runId, drivers, catalog, scenarios, broken, out, chosen, profiles, stepTimeoutMs: o.int('step-timeout') ?? TIMEOUT_MS.step, stressClients: o.int('stress-clients'), quiet: o.flag('quiet'), lanes,
    defaultTargets: !o.has('targets') && o.text('provider') !== 'external',
    shard, repeatEach: o.int('repeat-each') ?? 1, retries: o.int('retries') ?? 0, strict: o.flag('strict'), baseline,
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

export async function runCommand(given: Options, positionals: readonly string[]): Promise<number> {
  const plan = await planRun(given, positionals);
  const { runId, drivers, scenarios, broken, out, quiet, chosen } = plan;
  // Each starts file:line:col (or file: step N), so an editor can jump to it; reported before any server starts.
  for (const line of [...plan.catalog.warnings, ...broken.flatMap((b) => b.problems)]) process.stderr.write(`${line}\n`);
  for (const line of weakSecretWarnings(chosen.secrets())) process.stderr.write(`poolcheck: warning: ${line}\n`);
  const { provider } = chosen;
  const reaped = reapLeftovers();
  if (reaped) process.stderr.write(`poolcheck: stopped ${reaped} server process(es) left by an earlier run that was killed\n`);
  runStateDir(runId);
  const folder = usage(() => OutFolder.open(out, runId, (line) => process.stderr.write(`poolcheck: ${line}\n`)));
  for (const orphan of folder.orphans) process.stderr.write(`poolcheck: a run killed before it could write its reports left its results in ${path.join(orphan, 'journal.jsonl')}\n`);
  const state: MatrixState = { results: [], targets: [] };
  let targets: TargetSpec[] = [];
  let owns: MatrixPlan['owns'];
  const startedAt = new Date();
  const finish = (interrupted?: { reason: string; planned: number }) => {
    const report = publishReport(plan, folder, { targets, state, startedAt, interrupted });
    printSummary(report, out, redaction(chosen.secrets()).anywhere);
    return report;
  };
  // An interrupted run publishes what it finished; one that finished nothing keeps the previous reports.
  const unhook = onInterrupt((signal) => {
    if (state.results.length) finish({ reason: signal, planned: planned(plan, targets, owns) });
    folder.close();
  });
  try {
    const notes = await chosen.prepare();
    targets = await finalTargets(provider, chosen.targets, plan.defaultTargets);
    if (!quiet) for (const note of notes) process.stderr.write(`poolcheck: ${note}\n`);
    owns = plan.shard ? shardFilter(plan, targets, plan.shard) : undefined;
    const total = planned(plan, targets, owns);
    const part = plan.shard ? ` (shard ${plan.shard.index}/${plan.shard.count}: ${total} of them)` : '';
    if (!quiet) process.stderr.write(`poolcheck ${POOLCHECK_VERSION} run ${runId}: ${scenarios.length + broken.length} scenarios x ${drivers.length} drivers x ${targets.length} targets = ${(scenarios.length + broken.length) * drivers.length * targets.length} runs${part}\n`);
    const progress = consoleProgress(quiet);
    await runMatrix({
      runId, targets, drivers, scenarios, broken, provider, stepTimeoutMs: plan.stepTimeoutMs, stressClients: plan.stressClients, owns, attempts: attemptPolicy(plan),
      stopped: runStopped,
      // An external pooler's lanes are the URLs given, and its targets run one after the other.
      slots: provider.id === 'external' ? undefined : new Slots(plan.lanes * targets.length),
      isFinding: ((verdict) => (r: ScenarioRun, t: StartedTarget, s: Scenario) => FINDINGS.has(verdict(r, t, s)))(verdictWhileRunning(plan)),
      progress: { ...progress, result: (r, done, all) => { folder.record(r); progress.result(r, done, all); } },
    }, state);
    const report = finish();
    const strays = straysOutsideScenarios();
    if (strays.length) process.stderr.write(`poolcheck: ${strays.length} error(s) outside any scenario (above); the run's results may be incomplete\n`);
    folder.close();
    githubMode(report, out, { annotate: true, summary: !plan.shard });
    return strays.length ? 2 : exitCode(report, plan.strict);
  } finally {
    unhook();
    folder.release();
    await stopAll();
  }
}

/** The (scenario, driver) groups of the matrix with their estimated cost on every target, split as --shard says. */
function shardFilter(plan: RunPlan, targets: readonly TargetSpec[], shard: Shard): NonNullable<MatrixPlan['owns']> {
  const groups = plan.drivers.flatMap((d) => [
    ...plan.scenarios.map((s) => ({ scenario: s.id, driver: d.id, cost: targets.reduce((t, spec) => t + estimateCost(s, d, spec), 0) })),
    ...plan.broken.map((b) => ({ scenario: b.id, driver: d.id, cost: 0 })),
  ]);
  const mine = shardOwns(groups, shard);
  return (scenario, driver) => mine.has(groupKey(scenario, driver));
}

function planned(plan: RunPlan, targets: readonly TargetSpec[], owns: MatrixPlan['owns']): number {
  const ids = [...plan.scenarios, ...plan.broken].map((s) => s.id);
  return targets.length * plan.drivers.reduce((n, d) => n + ids.filter((id) => owns?.(id, d.id) ?? true).length, 0);
}

/**
 * --repeat-each and --retries. A retry is for a result that fails: one that is judged a
 * regression, changed or error against its profile (with --strict, improved too), so that a
 * documented divergence is not run again and again.
 */
/** A result's verdict as the reports will give it, while the run goes on (a case's known issues included). */
function verdictWhileRunning(plan: RunPlan): (r: ScenarioRun, started: StartedTarget, s: Scenario) => Verdict {
  const profiles = new Map<string, Profile | undefined>();
  const profileOf = (pooler: string) => {
    if (!profiles.has(pooler)) profiles.set(pooler, withKnownIssues(findPooler(pooler, plan.profiles), plan.scenarios));
    return profiles.get(pooler);
  };
  return (r, started, s) => {
    const pooler = started.spec.pooler;
    const facts = targetFacts({ settingsOf: targetEffectiveSettings }, { spec: started.spec, started, startMs: 0 });
    return judge(r, pooler ? profileOf(pooler) : undefined, facts, scenarioTraits(s)).verdict;
  };
}

const FINDINGS: ReadonlySet<Verdict> = new Set(['regression', 'changed', 'unprofiled']);

function attemptPolicy(plan: RunPlan): MatrixPlan['attempts'] {
  if (plan.repeatEach === 1 && plan.retries === 0) return undefined;
  const failing = new Set<Verdict>(['regression', 'changed', 'error', ...(plan.strict ? ['improved' as const] : [])]);
  const verdict = verdictWhileRunning(plan);
  return { repeatEach: plan.repeatEach, retries: plan.retries, acceptable: (r, started, s) => !failing.has(verdict(r, started, s)) };
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
  const scenarios = [
    ...plan.scenarios.map((s) => ({ id: s.id, traits: scenarioTraits(s), source: s.source })),
    ...plan.broken.map((b) => ({ id: b.id, traits: new Set<never>(), source: b.source })),
  ];
  const assembled = assembleReport({
    runId: plan.runId, startedAt: run.startedAt, finishedAt: new Date(), poolcheckVersion: POOLCHECK_VERSION, provider: plan.chosen.provider.id,
    scenarios, targets: ordered, drivers: plan.drivers, results: run.state.results, profileOf, settingsOf, interrupted: run.interrupted, shard: plan.shard,
  });
  const report: RunReport = plan.baseline ? { ...assembled.report, diff: diffRuns(plan.baseline, reportSide(assembled.report)) } : assembled.report;
  const red = redaction(plan.chosen.secrets());
  const redact = red.anywhere;
  // What leaves this function (the summary line, GitHub annotations) is redacted as the files are.
  const shown = redactReport(report, red);
  const published = (target: string) => {
    const t = ordered.find((x) => x.spec.id === target);
    return t?.spec.pooler ? publishedAnswers(profileOf(t.spec.pooler), targetFacts({ settingsOf }, t)) : undefined;
  };
  folder.publish((dir) => {
    writeReport(dir, report, assembled.transcripts, red, { features: plan.catalog.features, published });
    if (shown.diff) writeFileSync(path.join(dir, 'diff.md'), redact(diffMarkdown(shown.diff)));
    if (plan.shard) {
      writeFileSync(path.join(dir, SHARD_FILE), redact(shardManifestJson({
        shard: plan.shard, scenarios: scenarios.map((s) => s.id), report: shown, features: plan.catalog.features,
        plan: planFingerprint({ poolcheckVersion: POOLCHECK_VERSION, scenarios: scenarios.map((s) => s.id), drivers: plan.drivers, targets: run.targets.map((t) => t.id) }),
        published: Object.fromEntries(run.targets.flatMap((t) => { const p = published(t.id); return p ? [[t.id, p]] : []; })),
      })));
    }
  });
  return shown;
}
