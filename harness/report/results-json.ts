import { countByVerdict, loginLatency, premiseShares, type RunReport } from './run-report.ts';

/**
 * results.json, schemaVersion 4 (README "results.json"). Since 1: `warnings`; each target's
 * `settings` and `effectiveSettings`; each result's `divergence` and, for `changed`, the
 * `documented` divergence; the verdicts `changed` and `unprofiled`; `run.interrupted`
 * ({ reason, planned }) when a signal stopped the run. Since 2: the verdict `flaky` and each
 * result's `attempts` when it ran more than once; each result's `definedAt` (file:line of its
 * scenario); `run.shard` ({ index, count }) on a shard's report; `diff` with --baseline; each
 * target's `startMs` and each result's `timings` ({ quiesceMs, connectMs, checkMs }). Since 3: the
 * verdict `skip` (a skip was `ok` before); an error result's `cause` (result.ts ERROR_CAUSES); each result's `premise` ('held' | 'failed', where a
 * client was to land on an earlier client's server connection); `summary.premise` per target.
 * Since 5: each target's `loginMs` ({ p50, p95, p99, count }: time to a usable session over the
 * logins its results made; absent where it made none). Since 6: `expected` may be `either` (only
 * a race is documented: ok and documented are both as expected), and `diff.races`.
 */
export const SCHEMA_VERSION = 6;

export function resultsJson(r: RunReport): string {
  const logins = loginLatency(r.results);
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    run: r.run,
    warnings: r.warnings,
    targets: r.targets.map((t) => ({
      id: t.id,
      pooler: t.pooler,
      mode: t.mode,
      settings: t.settings,
      effectiveSettings: t.effectiveSettings,
      provider: t.provider,
      poolerVersion: t.poolerVersion,
      postgresVersion: t.postgresVersion,
      startMs: t.startMs,
      ...(t.error ? { error: t.error } : {}),
      ...(logins[t.id] ? { loginMs: logins[t.id] } : {}),
    })),
    drivers: r.drivers.map((d) => ({ id: d.id, version: d.version, library: d.library })),
    results: r.results.map((x) => ({
      scenario: x.scenario,
      category: x.category,
      target: x.target,
      driver: x.driver,
      outcome: x.outcome,
      ...(x.cause ? { cause: x.cause } : {}),
      expected: x.expected,
      verdict: x.verdict,
      durationMs: x.durationMs,
      message: x.message ?? null,
      reason: x.reason ?? null,
      ...(x.link ? { link: x.link, source: x.source } : {}),
      ...(x.documented ? { documented: x.documented } : {}),
      ...(x.defect ? { defect: x.defect } : {}),
      divergence: x.divergence ?? null,
      transcript: x.transcriptPath,
      definedAt: x.definedAt ?? null,
      ...(x.attempts ? { attempts: x.attempts } : {}),
      ...(x.timings ? { timings: { quiesceMs: x.timings.quiesceMs, connectMs: x.timings.connectMs, checkMs: x.timings.checkMs } } : {}),
      ...(x.premise ? { premise: x.premise } : {}),
    })),
    summary: { byVerdict: countByVerdict(r.results), premise: premiseShares(r.results) },
    ...(r.diff ? { diff: r.diff } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
