import type { Judged } from './verdict.ts';
import { VERDICTS, type Verdict } from './verdict.ts';

/** Everything the writers need about one run; results.json is its serialisation. */
export interface RunReport {
  readonly run: { readonly id: string; readonly startedAt: string; readonly finishedAt: string; readonly durationMs: number; readonly poolcheckVersion: string };
  readonly targets: ReadonlyArray<{
    readonly id: string; readonly pooler: string | null; readonly mode: string | null; readonly provider: string;
    readonly poolerVersion: string | null; readonly postgresVersion: string | null; readonly startMs: number; readonly error?: string;
  }>;
  readonly drivers: ReadonlyArray<{ readonly id: string; readonly version: string; readonly library: string }>;
  readonly results: readonly (Judged & { readonly transcriptPath: string | null })[];
}

export function countByVerdict(results: readonly { verdict: Verdict }[]): Record<Verdict, number> {
  const out = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) out[r.verdict]++;
  return out;
}

/** DESIGN.md exit codes: 2 on any harness error, else 1 on any regression, else 0. */
export function exitCode(report: RunReport): number {
  const c = countByVerdict(report.results);
  if (c.error > 0) return 2;
  return c.regression > 0 ? 1 : 0;
}
