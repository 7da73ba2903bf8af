// One run, from its options to published reports: the plan (run-plan.ts), the state folder and
// what killed runs left, the out folder (locked, staged), the targets checked against the releases
// that will run, the matrix, and publishing, also when a signal or a closed output stops the run
// (what finished is kept).
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { onOutputClosed } from '../kernel/output-streams.ts';
import { Slots } from '../kernel/slots.ts';
import { straysOutsideScenarios } from '../kernel/strays.ts';
import { POOLCHECK_VERSION } from '../kernel/version.ts';
import { createJudge } from '../report/judge.ts';
import { OutFolder, stagingFolder } from '../report/out-folder.ts';
import { relocator } from '../report/relocate.ts';
import { exitCode, type RunReport } from '../report/run-report.ts';
import { runMatrix, type MatrixPlan, type MatrixState, type Progress } from '../scenario/matrix.ts';
import { interruptRun, runStopped, stopAll } from '../targets/processes.ts';
import type { Provider } from '../targets/started-target.ts';
import { targetSettingsProblem, withToggledSettings } from '../targets/target-settings.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import { attemptPolicy, isFinding } from './attempt-policy.ts';
import { beginRun } from './begin-run.ts';
import { FailureBudget } from './failure-budget.ts';
import { publishReport } from './publish.ts';
import { planRun, type RunOptions, type RunPlan } from './run-plan.ts';
import { plannedResults, shardFilter } from './shard-filter.ts';

/** What the run tells its caller as it goes (the CLI prints it). */
export interface RunUi {
  /** A line for stderr: a warning, an image used, a leftover removed. */
  note(line: string): void;
  readonly progress: Progress;
  /** The reports are in place (also when a signal stopped the run). */
  published(report: RunReport): void;
}

export interface RunEnd {
  readonly report: RunReport;
  readonly exitCode: number;
}

/** The exit status a shell reports for a program SIGPIPE killed (128 + 13). */
const SIGPIPE_EXIT = 141;

/** The release each pooler runs (read before anything starts), and the targets checked against it. */
async function finalTargets(provider: Provider, targets: readonly TargetSpec[], defaulted: boolean): Promise<TargetSpec[]> {
  const versions = new Map<string, string | null>();
  for (const pooler of new Set(targets.flatMap((t) => (t.pooler ? [t.pooler] : [])))) versions.set(pooler, await provider.poolerVersion(pooler));
  const versionOf = (pooler: string) => versions.get(pooler) ?? null;
  const problem = targetSettingsProblem(targets, versionOf);
  if (problem) throw new UsageError(problem);
  return defaulted ? withToggledSettings(targets, versionOf) : [...targets];
}

/**
 * `uiFor` is called once the plan holds, before anything starts: the caller says the plan's
 * warnings then, and its progress counts the run's time from then.
 */
export async function executeRun(options: RunOptions, uiFor: (plan: RunPlan) => RunUi): Promise<RunEnd> {
  const plan = await planRun(options);
  const ui = uiFor(plan);
  // A closed stdout or stderr (a reader that went away) ends the run as SIGPIPE would end a
  // program that does not ignore it, but as an interrupted run: what finished is published and
  // every server stops. Once the reports are out, a reader gone changes nothing.
  let published = false;
  const unwatch = onOutputClosed((c) => {
    if (!published) interruptRun(`${c.stream} closed (${c.code})`, SIGPIPE_EXIT);
  });
  try {
    return await carryOut(plan, {
      ...ui,
      published: (report) => {
        published = true;
        ui.published(report);
      },
    });
  } finally {
    unwatch();
  }
}

/**
 * `ui` with what it is told naming a log file where it will be once the reports are out
 * (report/relocate.ts), not in the staging folder the servers write to.
 */
function relocated(plan: RunPlan, ui: RunUi): RunUi {
  const relocate = relocator(stagingFolder(plan.out, plan.runId), plan.out);
  return {
    ...ui,
    note: (line) => ui.note(relocate(line)),
    progress: {
      ...ui.progress,
      targetFailed: (id, message) => ui.progress.targetFailed(id, relocate(message)),
      result: (r, done, of) => ui.progress.result(r.message ? { ...r, message: relocate(r.message) } : r, done, of),
    },
  };
}

async function carryOut(plan: RunPlan, given: RunUi): Promise<RunEnd> {
  const { runId, drivers, scenarios, broken, out, quiet, chosen } = plan;
  const { provider } = chosen;
  const ui = relocated(plan, given);
  let folder: OutFolder;
  try {
    folder = OutFolder.open(out, runId, (line) => ui.note(line));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const judge = createJudge(plan.profiles, scenarios);
  const budget = new FailureBudget(plan.maxFailures, judge, plan.strict);
  const state: MatrixState = { results: [], targets: [] };
  let targets: TargetSpec[] = [];
  let owns: MatrixPlan['owns'];
  const startedAt = new Date();
  const finish = (interrupted?: { reason: string; planned: number }) => {
    const report = publishReport(plan, judge, folder, { targets, state, startedAt, interrupted });
    ui.published(report);
    return report;
  };
  let unhook = () => {};
  try {
    // An interrupted run publishes what it finished; one that finished nothing keeps the previous reports.
    unhook = beginRun(
      runId,
      (line) => ui.note(line),
      (reason) => {
        if (state.results.length) finish({ reason, planned: plannedResults(plan, targets, owns) });
        folder.close();
      },
    );
    for (const orphan of folder.orphans)
      ui.note(`a run killed before it could write its reports left its results in ${path.join(orphan, 'journal.jsonl')}`);
    const notes = await chosen.prepare();
    targets = await finalTargets(provider, chosen.targets, plan.defaultTargets);
    if (!quiet) for (const note of notes) ui.note(note);
    owns = plan.shard ? shardFilter(plan, targets, plan.shard) : undefined;
    const total = plannedResults(plan, targets, owns);
    const part = plan.shard ? ` (shard ${plan.shard.index}/${plan.shard.count}: ${total} of them)` : '';
    const all = (scenarios.length + broken.length) * drivers.length * targets.length;
    if (!quiet)
      process.stderr.write(
        `poolcheck ${POOLCHECK_VERSION} run ${runId}: ${scenarios.length + broken.length} scenarios x ${drivers.length} drivers x ${targets.length} targets = ${all} runs${part}\n`,
      );
    await runMatrix(
      {
        runId,
        targets,
        drivers,
        scenarios,
        broken,
        provider,
        stepTimeoutMs: plan.stepTimeoutMs,
        overrides: plan.overrides,
        owns,
        attempts: attemptPolicy(plan, judge),
        isFinding: isFinding(judge),
        stopped: runStopped,
        notRun: (s, target, d) => judge.notRun(s.id, target, d.id),
        // An external pooler's lanes are the URLs given, and its targets run one after the other.
        slots: provider.id === 'external' ? undefined : new Slots(plan.lanes * targets.length),
        // A journal that cannot be written (a full disk) stops the run as --max-failures does:
        // what runs finishes, nothing more starts, and what is not journaled is not lost.
        noMoreJobs: () => budget.spent || folder.writeFailure !== undefined,
        progress: {
          ...ui.progress,
          result: (r, done, of) => {
            folder.record(r);
            budget.count(
              r,
              state.targets.find((t) => t.spec.id === r.target),
            );
            ui.progress.result(r, done, of);
          },
        },
      },
      state,
    );
    const stoppedBy = folder.writeFailure ?? (budget.spent ? budget.reason : undefined);
    const report = finish(stoppedBy !== undefined ? { reason: stoppedBy, planned: plannedResults(plan, targets, owns) } : undefined);
    const strays = straysOutsideScenarios();
    if (strays.length) ui.note(`${strays.length} error(s) outside any scenario (above); the run's results may be incomplete`);
    folder.close();
    // A run the disk stopped is incomplete, whatever its results say.
    return { report, exitCode: strays.length || folder.writeFailure ? 2 : exitCode(report, plan.strict) };
  } finally {
    unhook();
    folder.release();
    await stopAll();
  }
}
