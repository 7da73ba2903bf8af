// Everything one run needs, decided from the options before anything starts or is written: the
// CLI builds it (cli/run-command.ts), the run carries it out (execute-run.ts).
import type { RunOverrides } from '../scenario/run-overrides.ts';
import type { Driver } from '../drivers/session.ts';
import type { Profile } from '../poolers/profile.ts';
import type { ResultsFile } from '../report/results-file.ts';
import type { Feature } from '../report/feature.ts';
import type { BrokenScenario, Scenario } from '../scenario/model.ts';
import type { Shard } from '../scenario/shard.ts';
import type { Provider } from '../targets/started-target.ts';
import type { TargetSpec } from '../targets/target-spec.ts';

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
