// A run's results, as the matrix produced them, turned into the report every writer reads: the
// direct baseline applied, each result judged against its pooler's profile, results in
// catalogue order, and each transcript given its path in the out folder.
import type { Profile } from '../poolers/profile.ts';
import type { TargetRecord } from '../scenario/matrix.ts';
import type { ScenarioRun } from '../scenario/result.ts';
import type { Trait } from '../kernel/traits.ts';
import type { RunReport } from './run-report.ts';
import { applyBaseline, judge } from './verdict.ts';
import { transcriptPath } from './write-report.ts';

export interface FinishedRun {
  readonly runId: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly poolcheckVersion: string;
  readonly provider: string;
  /** In the order reports list them. */
  readonly scenarios: ReadonlyArray<{ readonly id: string; readonly traits: ReadonlySet<Trait> }>;
  readonly targets: readonly TargetRecord[];
  readonly drivers: ReadonlyArray<{ readonly id: string; readonly version: string; readonly library: string }>;
  readonly results: readonly ScenarioRun[];
  /** The profile a pooler's results are held against (none for direct). */
  profileOf(pooler: string): Profile | undefined;
}

export interface AssembledReport {
  readonly report: RunReport;
  /** Path in the out folder -> transcript text. */
  readonly transcripts: ReadonlyMap<string, string>;
}

export function assembleReport(run: FinishedRun): AssembledReport {
  const rank = <T>(xs: readonly T[], key: (x: T) => string) => new Map(xs.map((x, i) => [key(x), i]));
  const scenarioRank = rank(run.scenarios, (s) => s.id);
  const targetRank = rank(run.targets, (t) => t.spec.id);
  const driverRank = rank(run.drivers, (d) => d.id);
  const sorted = applyBaseline(run.results).sort((a, b) => (scenarioRank.get(a.scenario) ?? 0) - (scenarioRank.get(b.scenario) ?? 0)
    || (targetRank.get(a.target) ?? 0) - (targetRank.get(b.target) ?? 0) || (driverRank.get(a.driver) ?? 0) - (driverRank.get(b.driver) ?? 0));
  const specOf = new Map(run.targets.map((t) => [t.spec.id, t.spec]));
  const traitsOf = new Map(run.scenarios.map((s) => [s.id, s.traits]));
  const transcripts = new Map<string, string>();
  const results = sorted.map((r) => {
    const spec = specOf.get(r.target);
    const j = judge(r, spec?.pooler ? run.profileOf(spec.pooler) : undefined, spec?.mode ?? null, traitsOf.get(r.scenario));
    const rel = r.transcript ? transcriptPath(r.target, r.driver, r.scenario) : null;
    if (rel && r.transcript) transcripts.set(rel, `# ${r.scenario} on ${r.target} with ${r.driver}: ${j.outcome} (${j.verdict})\n# ${j.message ?? ''}\n${r.transcript}`);
    return { ...j, transcript: undefined, transcriptPath: rel };
  });
  const report: RunReport = {
    run: {
      id: run.runId, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt.toISOString(),
      durationMs: run.finishedAt.getTime() - run.startedAt.getTime(), poolcheckVersion: run.poolcheckVersion,
    },
    targets: run.targets.map((t) => ({
      id: t.spec.id, pooler: t.spec.pooler, mode: t.spec.mode, provider: run.provider, startMs: t.startMs, error: t.error,
      poolerVersion: t.started?.poolerVersion ?? null, postgresVersion: t.started?.postgresVersion ?? null,
    })),
    drivers: run.drivers.map((d) => ({ id: d.id, version: d.version, library: d.library })),
    results,
  };
  return { report, transcripts };
}
