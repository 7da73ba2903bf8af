// A run's results, as the matrix produced them, turned into the report every writer reads: the
// direct baseline applied, each result judged against its pooler's profile for the release and
// settings that ran, results in catalogue order, and each transcript given its path.
import { releaseOf } from '../kernel/versions.ts';
import type { TargetRecord } from '../scenario/target-record.ts';
import type { ScenarioRun } from '../scenario/result.ts';
import type { Judge } from './judge.ts';
import type { RunReport } from './run-report.ts';
import { catalogueOrder } from './order.ts';
import { applyBaseline } from './verdict.ts';
import { transcriptPath } from './write-report.ts';

export interface FinishedRun {
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Set when a signal stopped the run before every result was in. */
  readonly interrupted?: { readonly reason: string; readonly planned: number };
  /** The part of the matrix this run is (--shard). */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly poolcheckVersion: string;
  readonly provider: string;
  /** In the order reports list them. */
  readonly scenarios: ReadonlyArray<{ readonly id: string; readonly source?: string }>;
  /** Every target a result names, started or not (target-record.ts unstarted). */
  readonly targets: readonly TargetRecord[];
  readonly drivers: ReadonlyArray<{ readonly id: string; readonly version: string; readonly library: string }>;
  readonly results: readonly ScenarioRun[];
  readonly judge: Judge;
  /** Said at the top of the reports, before the profiles' own warnings. */
  readonly warnings?: readonly string[];
}

export interface AssembledReport {
  readonly report: RunReport;
  /** Path in the out folder -> transcript text. */
  readonly transcripts: ReadonlyMap<string, string>;
}

/** One line per pooler release that no run checked its profile against. */
export function profileWarnings(judge: Pick<Judge, 'profileOf'>, targets: readonly TargetRecord[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of targets) {
    const pooler = t.spec.pooler;
    const version = t.started?.poolerVersion ?? null;
    const key = `${pooler} ${version}`;
    // A target that did not start has its own error: it says nothing about the release.
    if (!pooler || !t.started || seen.has(key)) continue;
    seen.add(key);
    const profile = judge.profileOf(pooler);
    if (!profile)
      out.push(`${pooler}: poolcheck has no profile for it, so nothing is expected: every divergence is reported as an unprofiled finding`);
    else if (!version)
      out.push(
        `${pooler}: its release is unknown (no version probe answered): what the profile documents for particular releases counts as possible, not expected (--external-admin lets poolcheck read the release)`,
      );
    else if (!profile.checked.some((c) => releaseOf(c) === releaseOf(version))) {
      out.push(
        `${pooler} ${version} is not a release its profile was checked against (${profile.checked.join(', ') || 'none'}): verdicts may be stale`,
      );
    }
  }
  return out;
}

export function assembleReport(run: FinishedRun): AssembledReport {
  const sorted = applyBaseline(run.results).sort(
    catalogueOrder(
      run.scenarios.map((s) => s.id),
      run.targets.map((t) => t.spec.id),
      run.drivers.map((d) => d.id),
    ),
  );
  const sourceOf = new Map(run.scenarios.map((s) => [s.id, s.source]));
  const recordOf = new Map(run.targets.map((t) => [t.spec.id, t]));
  const record = (target: string): TargetRecord => {
    const found = recordOf.get(target);
    if (!found) throw new Error(`a result of target ${target}, which is none of the run's targets`);
    return found;
  };
  const transcripts = new Map<string, string>();
  const results = sorted.map((r) => {
    const j = run.judge.judge(r, record(r.target));
    const rel = r.transcript ? transcriptPath(r.target, r.driver, r.scenario) : null;
    if (rel && r.transcript)
      transcripts.set(rel, `# ${r.scenario} on ${r.target} with ${r.driver}: ${j.outcome} (${j.verdict})\n# ${j.message ?? ''}\n${r.transcript}`);
    const definedAt = sourceOf.get(r.scenario);
    return { ...j, transcript: undefined, transcriptPath: rel, ...(definedAt ? { definedAt } : {}) };
  });
  const report: RunReport = {
    run: {
      id: run.runId,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
      poolcheckVersion: run.poolcheckVersion,
      ...(run.interrupted ? { interrupted: run.interrupted } : {}),
      ...(run.shard ? { shard: run.shard } : {}),
    },
    targets: run.targets.map((t) => ({
      id: t.spec.id,
      pooler: t.spec.pooler,
      mode: t.spec.mode,
      provider: run.provider,
      startMs: t.startMs,
      error: t.error,
      poolerVersion: t.started?.poolerVersion ?? null,
      postgresVersion: t.started?.postgresVersion ?? null,
      settings: t.spec.settings,
      effectiveSettings: t.facts.settings,
    })),
    warnings: [...(run.warnings ?? []), ...profileWarnings(run.judge, run.targets)],
    drivers: run.drivers.map((d) => ({ id: d.id, version: d.version, library: d.library })),
    results,
  };
  return { report, transcripts };
}
