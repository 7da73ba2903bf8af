// Runs scenarios x drivers on every target. Targets run in parallel (each has its own
// PostgreSQL and pooler), and so do the lanes of a target (each its own database and pools);
// inside one lane, scenarios run one at a time, because a single-server pool is shared by
// construction.
import type { Driver } from '../drivers/session.ts';
import type { ErrorCause, ScenarioRun } from './result.ts';
import type { RunOverrides } from './run-overrides.ts';
import type { Lane, Provider, StartedTarget } from '../targets/started-target.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import type { BrokenScenario, Scenario } from './model.ts';
import { runAttempts, type AttemptPolicy } from './attempts.ts';
import { skipReason } from './skip-reason.ts';
import { runScenario } from './runner.ts';
import { watchInfrastructure, type InfrastructureWatch } from './infrastructure.ts';
import { afterJudgedRunAgain, asSecondRun, timingDependent } from './timing-rule.ts';
import { errorText, InfrastructureError } from '../kernel/errors.ts';
import type { Slots } from '../kernel/slots.ts';
import { unstarted, type TargetRecord } from './target-record.ts';

/** How often a scenario runs at most while other lanes' crashes disturb it. */
const DISTURBED_RUNS = 4;

export interface MatrixPlan {
  readonly runId: string;
  readonly targets: readonly TargetSpec[];
  readonly drivers: readonly Driver[];
  readonly scenarios: readonly Scenario[];
  /** Scenarios that failed the load-time check: an `error` result each, nothing runs. */
  readonly broken: readonly BrokenScenario[];
  readonly provider: Provider;
  readonly stepTimeoutMs: number;
  readonly overrides: RunOverrides;
  readonly progress: Progress;
  /** The (scenario, driver) groups this run owns (--shard); all when absent. */
  readonly owns?: (scenario: string, driver: string) => boolean;
  /** Runs a result more than once (--repeat-each, --retries); `acceptable` ends the retries. */
  readonly attempts?: AttemptPolicy & { acceptable(r: ScenarioRun, target: StartedTarget): boolean };
  /** Whether a result would be a finding against the profile (regression, changed, unprofiled). */
  readonly isFinding?: (r: ScenarioRun, target: StartedTarget) => boolean;
  /** Why the scenario is not run on this target with this driver (the profile says it crashes the pooler), or undefined. */
  readonly notRun?: (s: Scenario, target: StartedTarget, d: Driver) => string | undefined;
  /**
   * Aborted when the run is stopped (Ctrl-C, SIGTERM). What ends after that ended because the
   * servers were being stopped, so it is not a result; no further job starts.
   */
  readonly stopped?: AbortSignal;
  /** True once no further job may start (--max-failures); what runs then still finishes and counts. */
  readonly noMoreJobs?: () => boolean;
  /** How many scenarios run at once over all targets; unlimited (one per lane) when absent. */
  readonly slots?: Slots;
}

export interface Progress {
  targetStarting(id: string): void;
  targetStarted(t: StartedTarget, ms: number): void;
  targetFailed(id: string, message: string): void;
  /** Every scenario of the target has a result; `ms` since the run started. */
  targetDone(id: string, results: number, ms: number): void;
  result(r: ScenarioRun, done: number, total: number): void;
}

/** What a run has gathered so far: the caller's, so that an interrupted run can report it. */
export interface MatrixState {
  readonly results: ScenarioRun[];
  readonly targets: TargetRecord[];
}

// The first problem and how many more: all of them are on stderr before the run starts, and in `poolcheck list scenarios`.
const invalidMessage = (b: BrokenScenario) =>
  `invalid scenario: ${b.problems[0]}${b.problems.length > 1 ? ` (and ${b.problems.length - 1} more problem(s): poolcheck list scenarios shows them all)` : ''}`;

export async function runMatrix(plan: MatrixPlan, state: MatrixState = { results: [], targets: [] }): Promise<MatrixState> {
  const owned = <T extends { readonly id: string }>(xs: readonly T[], d: Driver) => xs.filter((x) => plan.owns?.(x.id, d.id) ?? true);
  const perTarget = plan.drivers.reduce((n, d) => n + owned(plan.scenarios, d).length + owned(plan.broken, d).length, 0);
  const total = plan.targets.length * perTarget;
  let done = 0;
  let seq = 0;
  const { results, targets } = state;
  const record = (r: ScenarioRun) => {
    if (plan.stopped?.aborted) return;
    results.push(r);
    plan.progress.result(r, ++done, total);
  };
  const runStart = Date.now();
  for (const spec of plan.targets) {
    for (const d of plan.drivers) for (const b of owned(plan.broken, d)) record(errorRun(b, spec.id, d.id, invalidMessage(b), 'invalid-scenario'));
  }
  // Drivers get ready while the targets start; no lane begins before both are done.
  const driversReady = Promise.all(plan.drivers.map(async (d) => d.warmUp?.()));
  await Promise.all(
    plan.targets.map(async (spec) => {
      plan.progress.targetStarting(spec.id);
      const t0 = Date.now();
      let started: StartedTarget;
      try {
        started = await plan.provider.start(spec);
      } catch (err) {
        if (plan.stopped?.aborted) return;
        const message = `target ${spec.id} did not start: ${(err as Error).message}`;
        targets.push(unstarted(spec, Date.now() - t0, message));
        plan.progress.targetFailed(spec.id, message);
        for (const d of plan.drivers) for (const s of owned(plan.scenarios, d)) record(errorRun(s, spec.id, d.id, message, 'infrastructure'));
        return;
      }
      targets.push({ spec, started, facts: started.facts, startMs: Date.now() - t0 });
      plan.progress.targetStarted(started, Date.now() - t0);
      // Every lane takes the next job from one queue, so a slow scenario holds up only its lane.
      const jobs = plan.drivers.flatMap((d) => owned(plan.scenarios, d).map((s) => ({ d, s })));
      const worker = async (lane: Lane) => {
        const infrastructure = watchInfrastructure(lane, () => started.failure(), started.postgresLog, started.spec.pooler !== null);
        await infrastructure.start();
        for (;;) {
          const release = await plan.slots?.take();
          const job = plan.stopped?.aborted || plan.noMoreJobs?.() ? undefined : jobs.shift();
          if (!job) {
            release?.();
            break;
          }
          try {
            await runJob({ plan, started, lane, infrastructure, record, name: () => `pc${plan.runId}_${++seq}` }, job.d, job.s);
          } finally {
            release?.();
          }
        }
      };
      try {
        await driversReady;
        await Promise.all(started.lanes.map(worker));
        plan.progress.targetDone(spec.id, perTarget, Date.now() - runStart);
      } finally {
        await started.stop();
      }
    }),
  );
  return state;
}

/** What one lane's job needs from the run. */
interface JobContext {
  readonly plan: MatrixPlan;
  readonly started: StartedTarget;
  readonly lane: Lane;
  readonly infrastructure: InfrastructureWatch;
  readonly record: (r: ScenarioRun) => void;
  /** A prefix for the names of the objects the scenario creates, unique in the run. */
  readonly name: () => string;
}

async function runJob(ctx: JobContext, d: Driver, s: Scenario): Promise<void> {
  const { plan, started, lane, infrastructure, record } = ctx;
  const target = started.spec.id;
  const dead = started.failure() ?? infrastructure.broken;
  if (dead) {
    record(errorRun(s, target, d.id, dead, 'infrastructure'));
    return;
  }
  const avoided = plan.notRun?.(s, started, d);
  if (avoided) {
    record({ scenario: s.id, category: s.category, target, driver: d.id, outcome: 'skip', message: avoided, durationMs: 0, steps: [] });
    return;
  }
  try {
    // A run the driver cannot do is decided without touching the servers, once.
    const decided = skipReason(s, d) !== undefined;
    const once = async () => {
      const t0 = performance.now();
      if (!decided) await quiesce(lane, infrastructure);
      const t1 = performance.now();
      infrastructure.begin();
      const r = await runScenario(s, {
        target: started,
        lane,
        driver: d,
        namePrefix: ctx.name(),
        stepTimeoutMs: plan.stepTimeoutMs,
        overrides: plan.overrides,
      });
      const t2 = performance.now();
      const judged = await infrastructure.judge(r);
      const { run } = judged;
      const timings = {
        quiesceMs: Math.round(t1 - t0),
        connectMs: r.timings?.connectMs ?? 0,
        checkMs: Math.round(performance.now() - t2),
        ...(r.timings?.logins?.length ? { logins: r.timings.logins } : {}),
      };
      return { ...judged, run: { ...run, timings } };
    };
    // What another lane's crash disturbed is run again; so is what timing may explain (timing-rule.ts).
    const attempt = async () => {
      const first = await once();
      if (first.disturbed) {
        // Crashes come in bursts (a scenario run by several drivers in other lanes): the run
        // again may be disturbed too, and is run again, up to DISTURBED_RUNS in all.
        let again = await once();
        for (let n = 2; again.disturbed && n < DISTURBED_RUNS; n++) again = await once();
        return asSecondRun(first.run, again.run, `run again: the first run was disturbed (${first.run.message ?? 'no message'})`);
      }
      if (decided || !timingDependent(first.run, plan.isFinding?.(first.run, started) ?? true)) return first.run;
      const again = await once();
      return afterJudgedRunAgain(first, again);
    };
    const policy = plan.attempts;
    record(policy && !decided ? await runAttempts(policy, attempt, (r) => policy.acceptable(r, started)) : await attempt());
  } catch (err) {
    record(errorRun(s, target, d.id, started.failure() ?? (err as Error).message, 'infrastructure'));
  }
}

/** The lane's quiesce; one that fails (a server restarting) is tried again once the servers serve again. */
async function quiesce(lane: Lane, infrastructure: InfrastructureWatch): Promise<void> {
  try {
    await lane.quiesce();
  } catch (first) {
    const failed = (err: unknown) => new InfrastructureError(`the quiesce before the scenario failed: ${errorText(err)}`);
    if (!(await infrastructure.recover())) throw failed(first);
    await lane.quiesce().catch((err: unknown) => {
      throw failed(err);
    });
  }
}

function errorRun(
  s: { readonly id: string; readonly category: string },
  target: string,
  driver: string,
  message: string,
  cause: ErrorCause,
): ScenarioRun {
  return { scenario: s.id, category: s.category, target, driver, outcome: 'error', cause, message, durationMs: 0, steps: [] };
}
