// What a run (or a merge) prints on stdout when its reports are written.
import path from 'node:path';
import { diffHeadline } from '../report/diff-md.ts';
import { nextSteps } from '../report/next-steps.ts';
import { countByVerdict, type RunReport } from '../report/run-report.ts';
import { terminalText as t } from './terminal-text.ts';

export function printSummary(report: RunReport, out: string, redact: (s: string) => string): void {
  const c = countByVerdict(report.results);
  for (const w of report.warnings) process.stdout.write(`warning: ${t(w)}\n`);
  process.stdout.write(`${report.results.length} results in ${(report.run.durationMs / 1000).toFixed(1)} s: ${c.ok} ok, ${c.skip} skipped, ${c.documented} documented, ${c.changed} changed, ${c.regression} regression, ${c.improved} improved, ${c.unprofiled} unprofiled, ${c.error} error, ${c.flaky} flaky${c.crash ? `, ${c.crash} PostgreSQL crash` : ''}\n`);
  for (const r of report.results.filter((x) => x.verdict === 'crash' || x.verdict === 'regression' || x.verdict === 'changed' || x.verdict === 'error').slice(0, 20)) {
    process.stdout.write(`  ${r.verdict.toUpperCase()} ${t(r.scenario)} on ${t(r.target)} with ${t(r.driver)}: ${t(redact(r.message ?? ''))}\n`);
  }
  for (const line of nextSteps(report, path.relative(process.cwd(), out) || '.')) process.stdout.write(`next, ${t(line)}\n`);
  if (report.diff) process.stdout.write(`since ${report.diff.before.runId}: ${diffHeadline(report.diff).replace(/\*\*/g, '')} (diff.md)\n`);
  process.stdout.write(`report: ${path.relative(process.cwd(), path.join(out, 'summary.md')) || out} (report.html, feature-map.md, results.json, junit.xml, transcripts/, logs/ beside it)\n`);
}
