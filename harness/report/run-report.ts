import type { RunDiff } from './diff.ts';
import type { Judged } from './verdict.ts';
import { VERDICTS, type Verdict } from './verdict.ts';

/** Everything the writers need about one run; results.json is its serialisation. */
export interface RunReport {
  readonly run: {
    readonly id: string; readonly startedAt: string; readonly finishedAt: string; readonly durationMs: number; readonly poolcheckVersion: string;
    /** Set when a signal stopped the run: why, and how many results it would have had. */
    readonly interrupted?: { readonly reason: string; readonly planned: number };
    /** Set on a shard's report (--shard i/n). */
    readonly shard?: { readonly index: number; readonly count: number };
  };
  readonly targets: ReadonlyArray<{
    readonly id: string; readonly pooler: string | null; readonly mode: string | null; readonly provider: string;
    readonly poolerVersion: string | null; readonly postgresVersion: string | null; readonly startMs: number; readonly error?: string;
    /** The settings the target names, and every setting the adapter knows as the release ran it. */
    readonly settings: Readonly<Record<string, string>>; readonly effectiveSettings: Readonly<Record<string, string>>;
  }>;
  /** What the reader must know before trusting the verdicts (a release no profile was checked against). */
  readonly warnings: readonly string[];
  readonly drivers: ReadonlyArray<{ readonly id: string; readonly version: string; readonly library: string }>;
  readonly results: readonly ReportRow[];
  /** What changed since the baseline run (--baseline). */
  readonly diff?: RunDiff;
}

/** One result as the reports show it; `definedAt` is where its scenario is defined (file:line). */
export type ReportRow = Judged & { readonly transcriptPath: string | null; readonly definedAt?: string };

export function countByVerdict(results: readonly { verdict: Verdict }[]): Record<Verdict, number> {
  const out = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) out[r.verdict]++;
  return out;
}

/** Per target, how many results of clients meant to land on an earlier client's server did (held) and did not (failed). */
export function premiseShares(results: readonly Pick<ReportRow, 'target' | 'premise'>[]): Record<string, { held: number; failed: number }> {
  const out: Record<string, { held: number; failed: number }> = {};
  for (const r of results) {
    if (!r.premise) continue;
    out[r.target] ??= { held: 0, failed: 0 };
    out[r.target][r.premise]++;
  }
  return out;
}

/** "41 of 43 (95%)", or "-" where the target had no such result. */
export function premiseText(share: { held: number; failed: number } | undefined): string {
  if (!share) return '-';
  const all = share.held + share.failed;
  return `${share.held} of ${all} (${Math.round((100 * share.held) / all)}%)`;
}

/**
 * Exit codes: 2 on any harness error, else 1 on any regression, changed divergence or PostgreSQL
 * crash, else 0.
 * `strict` (--strict) also fails on improved (a profile gone stale) and flaky results.
 */
export function exitCode(report: RunReport, strict = false): number {
  const c = countByVerdict(report.results);
  if (c.error > 0) return 2;
  return c.regression > 0 || c.changed > 0 || c.crash > 0 || (strict && (c.improved > 0 || c.flaky > 0)) ? 1 : 0;
}
