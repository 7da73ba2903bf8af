import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { driver, driverIds } from '../drivers/registry.ts';
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import { knownPooler } from '../poolers/known-poolers.ts';
import { assembleReport } from '../report/assemble.ts';
import { redactor } from '../report/redact.ts';
import { countByVerdict, exitCode } from '../report/run-report.ts';
import { prepareOutDir, writeReport } from '../report/write-report.ts';
import { loadCatalog, selectScenarios } from '../scenario/catalog.ts';
import { runMatrix } from '../scenario/matrix.ts';
import { scenarioTraits } from '../scenario/traits.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { reapLeftovers, runStateDir, stopAll } from '../targets/processes.ts';
import { UsageError, type Options } from './args.ts';
import { loadConfig } from './config.ts';
import { consoleProgress } from './progress.ts';
import { chooseProvider } from './provider-choice.ts';
import { POOLCHECK_VERSION } from './version.ts';

export const DEFAULT_TARGETS = 'direct,pgbouncer:session,pgbouncer:transaction,pgbouncer:statement,pgpool:cache';
export const DEFAULT_OUT = 'reports/latest';
export const DEFAULT_LANES = 3;

export async function runCommand(given: Options, positionals: readonly string[]): Promise<number> {
  if (positionals.length) throw new UsageError(`poolcheck run takes options only, not "${positionals[0]}" (poolcheck --help)`);
  const o = given.withDefaults(loadConfig(given.text('config')));
  const runId = randomBytes(3).toString('hex');
  const drivers = (o.list('drivers') ?? driverIds).map((d) => {
    try { return driver(d); } catch (e) { throw new UsageError((e as Error).message); }
  });
  const catalog = await loadCatalog();
  const scenarios = selectScenarios(catalog.scenarios, o.list('scenarios')?.join(','));
  const broken = selectScenarios(catalog.broken, o.list('scenarios')?.join(','));
  if (!scenarios.length && !broken.length) throw new UsageError(`--scenarios ${o.list('scenarios')?.join(',')} matches no scenario; try \`poolcheck list scenarios\``);
  const out = o.text('out') ?? path.resolve(DEFAULT_OUT);
  const stepTimeoutMs = o.int('step-timeout') ?? TIMEOUT_MS.step;
  const lanes = o.int('lanes') ?? DEFAULT_LANES;
  const chosen = chooseProvider({ options: o, runId, logDir: path.join(out, 'logs'), lanes, defaultTargets: DEFAULT_TARGETS });
  ensureDriverPrerequisites(drivers.map((d) => d.id), !o.flag('no-install'));
  const { provider, targets } = chosen;

  const reaped = reapLeftovers();
  if (reaped) process.stderr.write(`poolcheck: stopped ${reaped} server process(es) left by an earlier run that was killed\n`);
  runStateDir(runId);
  prepareOutDir(out);
  const quiet = o.flag('quiet');
  let notes: string[];
  try {
    notes = await chosen.prepare();
  } catch (err) {
    await stopAll();
    throw err;
  }
  if (!quiet) for (const note of notes) process.stderr.write(`poolcheck: ${note}\n`);

  const startedAt = new Date();
  const total = (scenarios.length + broken.length) * drivers.length * targets.length;
  if (!quiet) process.stderr.write(`poolcheck ${POOLCHECK_VERSION} run ${runId}: ${scenarios.length + broken.length} scenarios x ${drivers.length} drivers x ${targets.length} targets = ${total} runs\n`);
  try {
    const { results, targets: records } = await runMatrix({ runId, targets, drivers, scenarios, broken, provider, stepTimeoutMs, progress: consoleProgress(quiet) });
    const { report, transcripts } = assembleReport({
      runId, startedAt, finishedAt: new Date(), poolcheckVersion: POOLCHECK_VERSION, provider: provider.id,
      scenarios: [...scenarios.map((s) => ({ id: s.id, traits: scenarioTraits(s) })), ...broken.map((b) => ({ id: b.id, traits: new Set<never>() }))],
      targets: targets.map((spec) => records.find((r) => r.spec.id === spec.id) ?? { spec, startMs: 0 }),
      drivers, results, profileOf: (pooler) => knownPooler(pooler).profile,
    });
    const redact = redactor(chosen.secrets());
    writeReport(out, report, transcripts, redact, {
      features: catalog.features,
      published: (target) => { const t = targets.find((x) => x.id === target); return t?.pooler ? knownPooler(t.pooler).profile.publishedFeatureMap : undefined; },
    });
    const c = countByVerdict(report.results);
    process.stdout.write(`${report.results.length} results in ${(report.run.durationMs / 1000).toFixed(1)} s: ${c.ok} ok, ${c.documented} documented, ${c.regression} regression, ${c.improved} improved, ${c.error} error\n`);
    for (const r of report.results.filter((x) => x.verdict === 'regression' || x.verdict === 'error').slice(0, 20)) {
      process.stdout.write(`  ${r.verdict.toUpperCase()} ${r.scenario} on ${r.target} with ${r.driver}: ${redact(r.message ?? '')}\n`);
    }
    process.stdout.write(`report: ${path.relative(process.cwd(), path.join(out, 'summary.md')) || out} (feature-map.md, results.json, junit.xml, transcripts/, logs/ beside it)\n`);
    return exitCode(report);
  } finally {
    await stopAll();
  }
}
