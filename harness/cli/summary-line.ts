// What a run (or a merge) prints on stdout when its reports are written: the counts, the results
// that fail the run (with --strict the improved and flaky ones too), and, when the exit code is
// not 0, the line that says why.
import path from 'node:path';
import { diffHeadline } from '../report/diff-md.ts';
import { nextSteps } from '../report/next-steps.ts';
import { countByVerdict, exitCode, type RunReport } from '../report/run-report.ts';
import { colourOn, paint, type Colour } from './colour.ts';
import { terminalText as t } from './terminal-text.ts';

/** Results listed one by one; the rest are counted (summary.md lists every one). */
const LISTED = 20;

/** Why the exit code is what it is, in one line; undefined for 0. */
export function exitReason(report: RunReport, strict: boolean): string | undefined {
  const c = countByVerdict(report.results);
  const code = exitCode(report, strict);
  if (code === 0) return undefined;
  const parts = (pairs: ReadonlyArray<[number, string]>) =>
    pairs
      .filter(([n]) => n > 0)
      .map(([n, w]) => `${n} ${w}`)
      .join(', ');
  if (code === 2) return `exit 2: ${c.error} result(s) could not be decided (error): see Errors in summary.md`;
  const plain = parts([
    [c.crash, 'PostgreSQL crash'],
    [c.regression, 'regression'],
    [c.changed, 'changed'],
  ]);
  const strictOnes = strict
    ? parts([
        [c.improved, 'improved'],
        [c.flaky, 'flaky'],
      ])
    : '';
  return `exit 1: ${[plain, strictOnes ? `${strictOnes} (--strict fails these too)` : ''].filter(Boolean).join('; ')}`;
}

export function printSummary(report: RunReport, out: string, redact: (s: string) => string, strict = false): void {
  const on = colourOn(process.stdout);
  const c = countByVerdict(report.results);
  for (const w of report.warnings) process.stdout.write(`${paint(on, 'yellow', 'warning:')} ${t(w)}\n`);
  const count = (n: number, word: string, colour: Colour) => (n ? paint(on, colour, `${n} ${word}`) : `${n} ${word}`);
  process.stdout.write(
    `${report.results.length} results in ${(report.run.durationMs / 1000).toFixed(1)} s: ${count(c.ok, 'ok', 'green')}, ${c.skip} skipped, ${c.documented} documented, ${count(c.changed, 'changed', 'red')}, ${count(c.regression, 'regression', 'red')}, ${count(c.improved, 'improved', strict ? 'red' : 'yellow')}, ${c.unprofiled} unprofiled, ${count(c.error, 'error', 'red')}, ${count(c.flaky, 'flaky', strict ? 'red' : 'yellow')}${c.crash ? `, ${count(c.crash, 'PostgreSQL crash', 'red')}` : ''}\n`,
  );
  if (report.run.interrupted)
    process.stdout.write(
      `${paint(on, 'red', 'interrupted')} (${t(report.run.interrupted.reason)}): ${report.results.length} of ${report.run.interrupted.planned} results; the rest never ran\n`,
    );
  const shown = new Set(['crash', 'regression', 'changed', 'error', ...(strict ? ['improved', 'flaky'] : [])]);
  const listed = report.results.filter((x) => shown.has(x.verdict));
  for (const r of listed.slice(0, LISTED)) {
    process.stdout.write(
      `  ${paint(on, 'red', r.verdict.toUpperCase())} ${t(r.scenario)} on ${t(r.target)} with ${t(r.driver)}: ${t(redact(r.message ?? (r.verdict === 'improved' ? `passes; the profile documents: ${r.reason ?? ''}` : '')))}\n`,
    );
  }
  if (listed.length > LISTED) process.stdout.write(`  and ${listed.length - LISTED} more (summary.md lists them)\n`);
  for (const line of nextSteps(report, path.relative(process.cwd(), out) || '.')) process.stdout.write(`next, ${t(line)}\n`);
  if (report.diff) process.stdout.write(`since ${report.diff.before.runId}: ${diffHeadline(report.diff).replace(/\*\*/g, '')} (diff.md)\n`);
  process.stdout.write(
    `report: ${path.relative(process.cwd(), path.join(out, 'summary.md')) || out} (report.html, feature-map.md, results.json, junit.xml, transcripts/, logs/ beside it)\n`,
  );
  const why = exitReason(report, strict);
  if (why) process.stdout.write(`${paint(on, 'bold', why)}\n`);
}
