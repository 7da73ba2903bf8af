// What one fuzz run needs, decided from its options before anything starts, with the steps
// poolcheck run plans with (run/): the profiles, the provider and its targets, and last the
// driver's packages and the server user.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver } from '../drivers/registry.ts';
import type { Driver } from '../drivers/session.ts';
import { asUsage, UsageError } from '../kernel/errors.ts';
import type { Profile } from '../poolers/profile.ts';
import { loadProfileFiles } from '../poolers/profile-file.ts';
import { chooseProvider, type ProviderOptions } from '../run/provider-choice.ts';
import { newRunId, type ChosenProvider } from '../run/run-plan.ts';
import { ensureRunPrerequisites } from '../run/run-prerequisites.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../targets/postgres-cluster.ts';

/** The options of `poolcheck fuzz`, as read (cli/fuzz-command.ts): each field names its option. */
export interface FuzzOptions {
  /** The one driver --drivers names. */
  readonly driver: string;
  /** --seed; a new one when not given. */
  readonly seed?: string;
  readonly seconds: number;
  /** --out, absolute. */
  readonly out: string;
  /** --profile files. */
  readonly profiles: readonly string[];
  readonly stepTimeoutMs: number;
  /** --quiet: the caller says nothing as the run goes. */
  readonly quiet: boolean;
  readonly provider: ProviderOptions;
}

export interface FuzzPlan {
  readonly runId: string;
  readonly seed: string;
  readonly seconds: number;
  /** The out folder, absolute: fuzz.json and cases/. */
  readonly out: string;
  readonly driver: Driver;
  readonly chosen: ChosenProvider;
  readonly profiles: readonly Profile[];
  readonly stepTimeoutMs: number;
  readonly quiet: boolean;
}

export function planFuzz(o: FuzzOptions): FuzzPlan {
  const d = asUsage(() => driver(o.driver));
  const runId = newRunId();
  const seed = o.seed ?? randomBytes(4).toString('hex');
  const profiles = loadProfileFiles(o.profiles);
  // PostgreSQL against itself runs its baseline and its compared runs in two lanes.
  const aa = o.provider.targetsNamed && o.provider.targets.every((t) => t === 'direct');
  const chosen = chooseProvider({
    options: o.provider,
    profiles,
    runId,
    logDir: path.join(o.out, 'logs'),
    lanes: aa ? 2 : 1,
    maxConnections: DEFAULT_MAX_CONNECTIONS,
  });
  // Last: it may install packages, which only a plan that holds together should do.
  const { usable, leftOut } = ensureRunPrerequisites([d.id], chosen, { allowInstall: o.provider.allowInstall, named: true });
  if (!usable.includes(d.id)) throw new UsageError(leftOut[0] ?? `driver ${d.id} cannot run here`);
  return { runId, seed, seconds: o.seconds, out: o.out, driver: d, chosen, profiles, stepTimeoutMs: o.stepTimeoutMs, quiet: o.quiet };
}
