// What one run changes compared with another (poolcheck diff, run --baseline), per target: what
// is new (passed before, diverges or errs now), what was fixed (diverged or erred, passes now) and
// what changed (diverges another way: another step, kind or SQLSTATE; or the same behaviour judged
// differently, as when a profile moved). Results are matched by (target, scenario, driver); the
// pooler's release may differ, that is the point. Two runs of the same build: no change. There,
// a result that went another way its profile allows (wentAsRacesGo) is no change either: it is
// counted apart, as a race; between two releases it is a change.
import type { Divergence } from '../kernel/divergence.ts';
import type { ResultsFile, ResultsFileRow } from './results-file.ts';
import type { RunReport } from './run-report.ts';

export type ChangeKind = 'new' | 'fixed' | 'changed';

export interface Change {
  readonly kind: ChangeKind;
  readonly scenario: string;
  readonly driver: string;
  /** Old and new, in words: "pass (ok)", "diverge: rows at step 4 (documented)". */
  readonly before: string;
  readonly after: string;
  /** What the new run said about it, when it did not pass. */
  readonly message: string | null;
}

export interface TargetDiff {
  readonly target: string;
  /** "pgbouncer 1.18.0", "PostgreSQL 15.20" on each side. */
  readonly before: string;
  readonly after: string;
  readonly changes: readonly Change[];
  /** Results one run has and the other has not (another selection): not compared. */
  readonly onlyBefore: number;
  readonly onlyAfter: number;
}

export interface RunDiff {
  readonly before: { readonly runId: string; readonly poolcheckVersion: string };
  readonly after: { readonly runId: string; readonly poolcheckVersion: string };
  readonly compared: number;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Results that went another way their profile allows in the two runs (wentAsRacesGo): not changes. */
  readonly races: number;
  readonly targets: readonly TargetDiff[];
  /** Targets only one run has. */
  readonly targetsOnlyBefore: readonly string[];
  readonly targetsOnlyAfter: readonly string[];
}

/** The part of a result a diff compares. */
type Row = Pick<ResultsFileRow, 'scenario' | 'target' | 'driver' | 'outcome' | 'verdict' | 'expected' | 'reason' | 'message' | 'divergence'>;
type Side = Pick<ResultsFile, 'run' | 'targets'> & { readonly results: readonly Row[] };

const where = (d: Divergence) => `${d.kind}${d.sqlstate ? ` ${d.sqlstate}` : ''} at step ${d.step} (${d.session})`;
const shown = (r: Row) => `${r.outcome}${r.divergence ? `: ${where(r.divergence)}` : ''} (${r.verdict})`;
const failing = (outcome: string) => outcome === 'diverge' || outcome === 'error';

/** How one result moved, or undefined when it behaves and is judged the same. */
export function classify(before: Row, after: Row): ChangeKind | undefined {
  if (before.outcome === 'pass' && failing(after.outcome)) return 'new';
  if (failing(before.outcome) && after.outcome === 'pass') return 'fixed';
  const sameDivergence = (before.divergence ? where(before.divergence) : '') === (after.divergence ? where(after.divergence) : '');
  return before.outcome === after.outcome && sameDivergence && before.verdict === after.verdict ? undefined : 'changed';
}

const AS_RACES_GO = new Set(['ok', 'documented']);

/**
 * Both runs got one of the ways the profile allows: under a documented race (expected either)
 * ok or documented; or documented by the same entry (its reason) both times, at another step or
 * as another of the entry's divergences (a pooler's asynchronous reset lands a step earlier or later).
 */
export const wentAsRacesGo = (before: Row, after: Row) =>
  (before.expected === 'either' && after.expected === 'either' && AS_RACES_GO.has(before.verdict) && AS_RACES_GO.has(after.verdict)) ||
  (before.verdict === 'documented' && after.verdict === 'documented' && !!before.reason && before.reason === after.reason);

const versions = (t: Side['targets'][number] | undefined) =>
  t ? [t.pooler ? `${t.pooler} ${t.poolerVersion ?? '?'}` : '', `PostgreSQL ${t.postgresVersion ?? '?'}`].filter(Boolean).join(', ') : '';

export function diffRuns(before: Side, after: Side): RunDiff {
  const key = (r: Row) => `${r.scenario}\u0000${r.driver}`;
  const byTarget = (s: Side) => {
    const m = new Map<string, Map<string, Row>>();
    for (const r of s.results) m.set(r.target, (m.get(r.target) ?? new Map<string, Row>()).set(key(r), r));
    return m;
  };
  const old = byTarget(before);
  const now = byTarget(after);
  const counts: Record<ChangeKind, number> = { new: 0, fixed: 0, changed: 0 };
  let compared = 0;
  let races = 0;
  const targets: TargetDiff[] = [];
  for (const t of after.targets.map((x) => x.id).filter((id) => old.has(id))) {
    const a = old.get(t) ?? new Map<string, Row>();
    const b = now.get(t) ?? new Map<string, Row>();
    const changes: Change[] = [];
    // Between two releases a documented divergence that moved is news: races are told apart
    // only between runs of the same pooler and PostgreSQL.
    const sameBuild = versions(before.targets.find((x) => x.id === t)) === versions(after.targets.find((x) => x.id === t));
    for (const [k, r] of b) {
      const o = a.get(k);
      if (!o) continue;
      compared++;
      const kind = classify(o, r);
      if (!kind) continue;
      if (sameBuild && wentAsRacesGo(o, r)) {
        races++;
        continue;
      }
      counts[kind]++;
      changes.push({
        kind,
        scenario: r.scenario,
        driver: r.driver,
        before: shown(o),
        after: shown(r),
        message: r.outcome === 'pass' ? null : r.message,
      });
    }
    targets.push({
      target: t,
      before: versions(before.targets.find((x) => x.id === t)),
      after: versions(after.targets.find((x) => x.id === t)),
      changes,
      onlyBefore: [...a.keys()].filter((k) => !b.has(k)).length,
      onlyAfter: [...b.keys()].filter((k) => !a.has(k)).length,
    });
  }
  const ids = (s: Side) => s.targets.map((x) => x.id);
  return {
    before: { runId: before.run.id, poolcheckVersion: before.run.poolcheckVersion },
    after: { runId: after.run.id, poolcheckVersion: after.run.poolcheckVersion },
    compared,
    counts,
    races,
    targets,
    targetsOnlyBefore: ids(before).filter((t) => !ids(after).includes(t)),
    targetsOnlyAfter: ids(after).filter((t) => !ids(before).includes(t)),
  };
}

/** A run's own report as one side of a diff. */
export function reportSide(r: RunReport): Side {
  return {
    run: r.run,
    targets: r.targets,
    results: r.results.map((x) => ({
      scenario: x.scenario,
      target: x.target,
      driver: x.driver,
      outcome: x.outcome,
      verdict: x.verdict,
      expected: x.expected,
      reason: x.reason ?? null,
      message: x.message ?? null,
      divergence: x.divergence ?? null,
    })),
  };
}
