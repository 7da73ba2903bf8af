import { countByVerdict, type RunReport } from './run-report.ts';

/**
 * results.json, schemaVersion 2 (README "results.json"). Since 1: `warnings`; each target's
 * `settings` and `effectiveSettings`; each result's `divergence` and, for `changed`, the
 * `documented` divergence; the verdicts `changed` and `unprofiled`; `run.interrupted`
 * ({ reason, planned }) when a signal stopped the run.
 */
export const SCHEMA_VERSION = 2;

export function resultsJson(r: RunReport): string {
  const doc = {
    schemaVersion: SCHEMA_VERSION,
    run: r.run,
    warnings: r.warnings,
    targets: r.targets.map((t) => ({
      id: t.id, pooler: t.pooler, mode: t.mode, settings: t.settings, effectiveSettings: t.effectiveSettings, provider: t.provider,
      poolerVersion: t.poolerVersion, postgresVersion: t.postgresVersion, ...(t.error ? { error: t.error } : {}),
    })),
    drivers: r.drivers.map((d) => ({ id: d.id, version: d.version, library: d.library })),
    results: r.results.map((x) => ({
      scenario: x.scenario, category: x.category, target: x.target, driver: x.driver,
      outcome: x.outcome, expected: x.expected, verdict: x.verdict, durationMs: x.durationMs,
      message: x.message ?? null, reason: x.reason ?? null, ...(x.link ? { link: x.link, source: x.source } : {}),
      ...(x.documented ? { documented: x.documented } : {}),
      divergence: x.divergence ?? null, transcript: x.transcriptPath,
    })),
    summary: { byVerdict: countByVerdict(r.results) },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
