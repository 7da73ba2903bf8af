import type { RunDiff } from './diff.ts';
import type { Judged } from './verdict.ts';
import { VERDICTS, type Verdict } from './verdict.ts';

/** Everything the writers need about one run; results.json is its serialisation. */
export interface RunReport {
  readonly run: {
    readonly id: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly poolcheckVersion: string;
    /** Set when a signal stopped the run: why, and how many results it would have had. */
    readonly interrupted?: { readonly reason: string; readonly planned: number };
    /** Set on a shard's report (--shard i/n). */
    readonly shard?: { readonly index: number; readonly count: number };
  };
  readonly targets: ReadonlyArray<{
    readonly id: string;
    readonly pooler: string | null;
    readonly mode: string | null;
    readonly provider: string;
    readonly poolerVersion: string | null;
    readonly postgresVersion: string | null;
    readonly startMs: number;
    readonly error?: string;
    /** The settings the target names, and every setting the adapter knows as the release ran it. */
    readonly settings: Readonly<Record<string, string>>;
    readonly effectiveSettings: Readonly<Record<string, string>>;
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

/** Login latency over a target's logins, in ms: time to a usable session (connect, TLS where used, authenticate, first ReadyForQuery). */
export interface LoginLatency {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly count: number;
}

/**
 * Per target, the percentiles (nearest rank) of the logins its results made that gave a usable
 * session; a target with none is absent. A figure beside direct's, not a verdict.
 */
export function loginLatency(results: readonly Pick<ReportRow, 'target' | 'timings'>[]): Record<string, LoginLatency> {
  const samples = new Map<string, number[]>();
  for (const r of results) {
    const xs = r.timings?.logins;
    if (!xs?.length) continue;
    let list = samples.get(r.target);
    if (!list) samples.set(r.target, (list = []));
    for (const x of xs) list.push(x);
  }
  const out: Record<string, LoginLatency> = {};
  for (const [target, xs] of samples) {
    xs.sort((a, b) => a - b);
    const at = (q: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))];
    out[target] = { p50: at(0.5), p95: at(0.95), p99: at(0.99), count: xs.length };
  }
  return out;
}

/** "2.1 / 3.4 / 5.0 ms (812 logins)", or "-" where the target made none. */
export function loginText(l: LoginLatency | undefined): string {
  return l ? `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} / ${l.p99.toFixed(1)} ms (${l.count} logins)` : '-';
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
