// Everything one run needs, decided from its options before anything starts or is written: the
// CLI reads the options (cli/run-command.ts), planRun decides, execute-run.ts carries it out.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver } from '../drivers/registry.ts';
import type { Driver } from '../drivers/session.ts';
import { asUsage, UsageError } from '../kernel/errors.ts';
import type { Profile } from '../poolers/profile.ts';
import { loadProfileFiles } from '../poolers/profile-file.ts';
import type { Feature } from '../report/feature.ts';
import { stagingFolder } from '../report/out-folder.ts';
import { readResultsFile, type ResultsFile } from '../report/results-file.ts';
import { loadCatalogFor, type CatalogChoice } from '../scenario/case-folders.ts';
import { selectScenarios } from '../scenario/catalog.ts';
import type { BrokenScenario, Scenario } from '../scenario/model.ts';
import type { RunOverrides } from '../scenario/run-overrides.ts';
import { parseShard, type Shard } from '../scenario/shard.ts';
import { backendsNeeded } from '../scenario/stress.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../targets/postgres-cluster.ts';
import type { Provider } from '../targets/started-target.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import { chooseProvider, type ProviderOptions } from './provider-choice.ts';
import { ensureRunPrerequisites } from './run-prerequisites.ts';

/** The provider the options chose, with the targets it will start. */
export interface ChosenProvider {
  readonly provider: Provider;
  readonly targets: TargetSpec[];
  /** What must never appear in a report or log. */
  secrets(): string[];
  /**
   * Checks what the targets need (binaries, engine, images) once the run's state folder
   * exists; returns lines for stderr (images used, leftovers removed).
   */
  prepare(): Promise<string[]>;
}

export interface RunPlan {
  readonly runId: string;
  readonly drivers: readonly Driver[];
  readonly scenarios: readonly Scenario[];
  /** Scenarios that failed the load-time check: an `error` result each. */
  readonly broken: readonly BrokenScenario[];
  /** Load-time warnings about the scenarios (file:line: a read nothing checks...), for stderr. */
  readonly warnings: readonly string[];
  /** What the reports must say before their verdicts (drivers a default run left out, and why). */
  readonly reportWarnings?: readonly string[];
  /** The feature map's features (suites/features.ts and the cases'). */
  readonly features: readonly Feature[];
  readonly out: string;
  readonly stepTimeoutMs: number;
  /** --stress-clients, --stress-roles. */
  readonly overrides: RunOverrides;
  readonly quiet: boolean;
  /** --lanes: scenarios run at once per target, on average over the run. */
  readonly lanes: number;
  readonly chosen: ChosenProvider;
  /** Profile files (--profile): in place of poolcheck's own for their poolers. */
  readonly profiles: readonly Profile[];
  /** The targets were not named: a default certification adds each release's feature switches. */
  readonly defaultTargets: boolean;
  readonly shard?: Shard;
  readonly repeatEach: number;
  readonly retries: number;
  readonly strict: boolean;
  /** --max-failures: no scenario starts once this many results have failed. */
  readonly maxFailures?: number;
  /** The earlier run --baseline names, read before this one can overwrite it. */
  readonly baseline?: ResultsFile;
}

/** The options of `poolcheck run`, as read (cli/run-command.ts): each field names its option. */
export interface RunOptions {
  /** --drivers, and whether they were named: a default run leaves out a driver that cannot run here. */
  readonly drivers: readonly string[];
  readonly driversNamed: boolean;
  readonly catalog: CatalogChoice;
  /** --out, absolute. */
  readonly out: string;
  /** --profile files. */
  readonly profiles: readonly string[];
  readonly overrides: RunOverrides;
  readonly lanes: number;
  /** --shard I/N, as given. */
  readonly shard?: string;
  /** --baseline: an out folder or results.json. */
  readonly baseline?: string;
  readonly stepTimeoutMs: number;
  readonly quiet: boolean;
  readonly repeatEach: number;
  readonly retries: number;
  readonly strict: boolean;
  readonly maxFailures?: number;
  readonly provider: ProviderOptions;
}

/** A run's id: it names the run's state folder, its staging folder and what its scenarios create. */
export const newRunId = () => randomBytes(3).toString('hex');

/** Reads and checks what the options name: nothing starts, and nothing is written but the packages a run that holds needs. */
export async function planRun(o: RunOptions): Promise<RunPlan> {
  const runId = newRunId();
  const asked = o.drivers.map((d) => asUsage(() => driver(d)));
  const catalog = await loadCatalogFor(o.catalog);
  const globs = o.catalog.scenarios;
  const scenarios = selectScenarios(catalog.scenarios, globs);
  const broken = selectScenarios(catalog.broken, globs);
  if (!scenarios.length && !broken.length) throw new UsageError(`--scenarios ${globs} matches no scenario; try \`poolcheck list scenarios\``);
  const profiles = loadProfileFiles(o.profiles);
  const maxConnections = backendsNeeded(scenarios, o.overrides, DEFAULT_MAX_CONNECTIONS);
  const logDir = path.join(stagingFolder(o.out, runId), 'logs');
  const chosen = chooseProvider({ options: o.provider, profiles, runId, logDir, lanes: o.lanes, maxConnections });
  const shardText = o.shard;
  const shard = shardText !== undefined ? asUsage(() => parseShard(shardText)) : undefined;
  const baselineFile = o.baseline;
  const baseline = baselineFile ? asUsage(() => readResultsFile(baselineFile)) : undefined;
  // Last: it may install packages, which only a plan that holds together should do.
  const { usable, leftOut } = ensureRunPrerequisites(
    asked.map((d) => d.id),
    chosen,
    { allowInstall: o.provider.allowInstall, named: o.driversNamed },
  );
  return {
    runId,
    drivers: asked.filter((d) => usable.includes(d.id)),
    features: catalog.features,
    warnings: [...catalog.warnings, ...leftOut.map((w) => `poolcheck: warning: ${w}`)],
    reportWarnings: leftOut,
    scenarios,
    broken,
    out: o.out,
    chosen,
    profiles,
    stepTimeoutMs: o.stepTimeoutMs,
    overrides: o.overrides,
    quiet: o.quiet,
    lanes: o.lanes,
    defaultTargets: !o.provider.targetsNamed && o.provider.kind !== 'external',
    shard,
    repeatEach: o.repeatEach,
    retries: o.retries,
    strict: o.strict,
    maxFailures: o.maxFailures,
    baseline,
  };
}
