import { countByVerdict, type RunReport } from './run-report.ts';

/** results.json, schemaVersion 1 (the contract in DESIGN.md). */
export function resultsJson(r: RunReport): string {
  const doc = {
    schemaVersion: 1,
    run: r.run,
    targets: r.targets.map((t) => ({
      id: t.id, pooler: t.pooler, mode: t.mode, provider: t.provider, poolerVersion: t.poolerVersion, postgresVersion: t.postgresVersion,
      ...(t.error ? { error: t.error } : {}),
    })),
    drivers: r.drivers.map((d) => ({ id: d.id, version: d.version, library: d.library })),
    results: r.results.map((x) => ({
      scenario: x.scenario, category: x.category, target: x.target, driver: x.driver,
      outcome: x.outcome, expected: x.expected, verdict: x.verdict, durationMs: x.durationMs,
      message: x.message ?? null, reason: x.reason ?? null, ...(x.link ? { link: x.link, source: x.source } : {}), transcript: x.transcriptPath,
    })),
    summary: { byVerdict: countByVerdict(r.results) },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
