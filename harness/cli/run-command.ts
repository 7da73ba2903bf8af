import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver, driverIds } from '../drivers/registry.ts';
import { poolerAdapter } from '../poolers/registry.ts';
import type { RunReport } from '../report/run-report.ts';
import { exitCode } from '../report/run-report.ts';
import { redactor } from '../report/redact.ts';
import { applyBaseline, judge } from '../report/verdict.ts';
import { prepareOutDir, transcriptPath, writeReport } from '../report/write-report.ts';
import { loadCatalog, selectScenarios } from '../scenario/catalog.ts';
import { runMatrix } from '../scenario/matrix.ts';
import { scenarioTraits } from '../scenario/traits.ts';
import { reapLeftovers, runStateDir, stopAll } from '../targets/processes.ts';
import { UsageError, type ParsedArgs } from './args.ts';
import { loadConfig } from './config.ts';
import { chooseProvider } from './provider-choice.ts';
import { consoleProgress } from './progress.ts';
import { POOLCHECK_VERSION } from './version.ts';
import { knownPooler } from '../poolers/known-poolers.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import { features } from '../../suites/features.ts';

export const DEFAULT_TARGETS = 'direct,pgbouncer:session,pgbouncer:transaction,pgbouncer:statement,pgpool:cache';
export const DEFAULT_OUT = 'reports/latest';
export const DEFAULT_LANES = 3;

export async function runCommand(args: ParsedArgs): Promise<number> {
  const flag = (n: string) => { const v = args.flags.get(n); return typeof v === 'string' ? v : undefined; };
  const config = loadConfig(flag('config'));
  const runId = randomBytes(3).toString('hex');
  const drivers = (flag('drivers') ?? config.drivers ?? driverIds.join(',')).split(',').filter(Boolean).map((d) => {
    try { return driver(d.trim()); } catch (e) { throw new UsageError((e as Error).message); }
  });
  ensureDriverPrerequisites(drivers.map((d) => d.id), !args.flags.has('no-install'));
  const scenarios = selectScenarios(await loadCatalog(), flag('scenarios') ?? config.scenarios);
  const out = path.resolve(flag('out') ?? config.out ?? DEFAULT_OUT);
  const stepTimeoutMs = Number(flag('step-timeout') ?? 5000);
  const lanes = Number(flag('lanes') ?? DEFAULT_LANES);
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 16) throw new UsageError('--lanes takes a whole number from 1 to 16');
  if (!Number.isFinite(stepTimeoutMs) || stepTimeoutMs < 100) throw new UsageError('--step-timeout takes milliseconds (>= 100)');

  const chosen = chooseProvider({ flags: args.flags, config, runId, logDir: path.join(out, 'logs'), lanes, defaultTargets: DEFAULT_TARGETS });
  const { provider, targets } = chosen;

  const reaped = reapLeftovers();
  if (reaped) process.stderr.write(`poolcheck: stopped ${reaped} server process(es) left by an earlier run that was killed\n`);
  runStateDir(runId);
  prepareOutDir(out);
  const quiet = args.flags.has('quiet');
  let notes: string[];
  try {
    notes = await chosen.prepare();
  } catch (err) {
    await stopAll();
    throw err;
  }
  if (!quiet) for (const note of notes) process.stderr.write(`poolcheck: ${note}\n`);

  const startedAt = new Date();
  if (!quiet) process.stderr.write(`poolcheck ${POOLCHECK_VERSION} run ${runId}: ${scenarios.length} scenarios x ${drivers.length} drivers x ${targets.length} targets = ${scenarios.length * drivers.length * targets.length} runs\n`);
  try {
    const { results, targets: records } = await runMatrix({ runId, targets, drivers, scenarios, provider, stepTimeoutMs, progress: consoleProgress(quiet) });
    const finishedAt = new Date();
    const modeOf = new Map(targets.map((t) => [t.id, t]));
    const order = new Map(scenarios.map((s, i) => [s.id, i]));
    const targetOrder = new Map(targets.map((t, i) => [t.id, i]));
    const driverOrder = new Map(drivers.map((d, i) => [d.id, i]));
    const sorted = applyBaseline(results).sort((a, b) => order.get(a.scenario)! - order.get(b.scenario)! || targetOrder.get(a.target)! - targetOrder.get(b.target)! || driverOrder.get(a.driver)! - driverOrder.get(b.driver)!);
    const traitsOf = new Map(scenarios.map((s) => [s.id, scenarioTraits(s)]));
    const transcripts = new Map<string, string>();
    const judged = sorted.map((r) => {
      const spec = modeOf.get(r.target)!;
      const j = judge(r, spec.pooler ? knownPooler(spec.pooler).profile : undefined, spec.mode, traitsOf.get(r.scenario));
      const rel = r.transcript ? transcriptPath(r.target, r.driver, r.scenario) : null;
      if (rel && r.transcript) transcripts.set(rel, `# ${r.scenario} on ${r.target} with ${r.driver}: ${j.outcome} (${j.verdict})\n# ${j.message ?? ''}\n${r.transcript}`);
      return { ...j, transcript: undefined, transcriptPath: rel };
    });
    const report: RunReport = {
      run: { id: runId, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime(), poolcheckVersion: POOLCHECK_VERSION },
      targets: targets.map((spec) => {
        const rec = records.find((r) => r.spec.id === spec.id);
        return {
          id: spec.id, pooler: spec.pooler, mode: spec.mode, provider: provider.id, startMs: rec?.startMs ?? 0, error: rec?.error,
          poolerVersion: rec?.started?.poolerVersion ?? null, postgresVersion: rec?.started?.postgresVersion ?? null,
        };
      }),
      drivers: drivers.map((d) => ({ id: d.id, version: d.version, library: d.library })),
      results: judged,
    };
    const redact = redactor(chosen.secrets());
    writeReport(out, report, transcripts, redact, {
      features,
      published: (target) => { const t = modeOf.get(target); return t?.pooler ? knownPooler(t.pooler).profile.publishedFeatureMap : undefined; },
    });
    const c = report.results.reduce((acc, r) => ({ ...acc, [r.verdict]: (acc[r.verdict] ?? 0) + 1 }), {} as Record<string, number>);
    process.stdout.write(`${report.results.length} results in ${(report.run.durationMs / 1000).toFixed(1)} s: ${c.ok ?? 0} ok, ${c.documented ?? 0} documented, ${c.regression ?? 0} regression, ${c.improved ?? 0} improved, ${c.error ?? 0} error\n`);
    for (const r of report.results.filter((x) => x.verdict === 'regression' || x.verdict === 'error').slice(0, 20)) {
      process.stdout.write(`  ${r.verdict.toUpperCase()} ${r.scenario} on ${r.target} with ${r.driver}: ${redact(r.message ?? '')}\n`);
    }
    process.stdout.write(`report: ${path.relative(process.cwd(), path.join(out, 'summary.md')) || out} (feature-map.md, results.json, junit.xml, transcripts/, logs/ beside it)\n`);
    return exitCode(report);
  } finally {
    await stopAll();
  }
}
