import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { diffMarkdown } from './diff-md.ts';
import { writeReportFile } from './report-file.ts';
import { featureMapMarkdown, featureTable, type FeatureMapInput } from './feature-map.ts';
import { htmlReport } from './html-report.ts';
import { junitXml } from './junit.ts';
import { redactReport, redactTranscript, type Redaction } from './redact.ts';
import { resultsJson } from './results-json.ts';
import type { RunReport } from './run-report.ts';
import { summaryMarkdown } from './summary-md.ts';

/** Files under `dir/sub`, as paths relative to `dir` with forward slashes (links in the page). */
function filesUnder(dir: string, sub: string): string[] {
  const full = path.join(dir, sub);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(dir, `${sub}/${d.name}`) : d.isFile() ? [`${sub}/${d.name}`] : []))
    .sort();
}

export const transcriptPath = (target: string, driver: string, scenario: string) =>
  path.join('transcripts', target.replace(/[^a-z0-9.-]+/gi, '-'), driver.replace(/[^a-z0-9.-]+/gi, '-'), `${scenario.replace(/\//g, '--')}.txt`);

/**
 * Writes transcripts, results.json, junit.xml, summary.md, feature-map.md, report.html and, for a
 * run compared with a baseline, diff.md into `out`; every text goes through `red` (a server's words through its serverText, redact.ts).
 * `strict` (--strict) makes junit.xml fail what the run's exit code fails.
 */
export function writeReport(
  out: string,
  raw: RunReport,
  rawTranscripts: ReadonlyMap<string, string>,
  red: Redaction,
  fm: FeatureMapInput,
  strict = false,
): void {
  const report = redactReport(raw, red);
  const redact = red.anywhere;
  const transcripts = new Map([...rawTranscripts].map(([rel, text]) => [rel, redactTranscript(text, red)]));
  for (const [rel, text] of transcripts) {
    writeReportFile(path.join(out, rel), text);
  }
  writeReportFile(path.join(out, 'results.json'), redact(resultsJson(report)));
  // --strict fails improved and flaky results: junit.xml says so as the exit code does.
  writeReportFile(path.join(out, 'junit.xml'), redact(junitXml(report, strict)));
  const featureSection =
    [
      '',
      '## Feature map',
      '',
      'Derived from the scenarios; details and the scenarios behind each cell in [feature-map.md](feature-map.md).',
      '',
      ...featureTable(report, fm.features, fm.published, 'feature-map.md'),
    ].join('\n') + '\n';
  writeReportFile(path.join(out, 'summary.md'), redact(summaryMarkdown(report) + featureSection));
  writeReportFile(path.join(out, 'feature-map.md'), redact(featureMapMarkdown(report, fm.features, fm.published)));
  // Not redacted again as a whole: htmlReport redacts each text before escaping and compressing it,
  // and a pass over the finished page could rewrite a short password found by chance in the
  // base64 of the compressed transcripts, corrupting them.
  writeReportFile(path.join(out, 'report.html'), htmlReport(report, transcripts, fm, redact, filesUnder(out, 'logs')));
  if (report.diff) writeReportFile(path.join(out, 'diff.md'), redact(diffMarkdown(report.diff)));
}
