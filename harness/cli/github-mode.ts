// GitHub mode: inside a GitHub Actions step (GITHUB_STEP_SUMMARY is set) a run's findings become
// annotations and its summary goes to the step's summary page (report/github.ts,
// report/github-summary.ts), once per run: an unsharded run and poolcheck merge write both; a
// shard writes one line saying so, as its results are also the merge's, and an annotation
// written by each shard would be written again by the merge (and a finding seen on two shards
// twice).
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { githubAnnotations } from '../report/github.ts';
import { githubSummaryMarkdown } from '../report/github-summary.ts';
import { countByVerdict, type RunReport } from '../report/run-report.ts';
import { SUITES_DIR } from '../scenario/catalog.ts';

export function githubMode(report: RunReport, strict: boolean, env: NodeJS.ProcessEnv = process.env): void {
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (!stepSummary) return;
  if (report.run.shard) {
    const c = countByVerdict(report.results);
    appendFileSync(
      stepSummary,
      `poolcheck shard ${report.run.shard.index}/${report.run.shard.count}: ${report.results.length} results, ${c.regression + c.changed} regression or changed, ${c.error} error; the annotations and the summary come from poolcheck merge.\n`,
    );
    return;
  }
  // Scenario sources: poolcheck's own are relative to the catalogue's parent (dist/ in the package), a user's case to where poolcheck ran.
  for (const line of githubAnnotations(
    report,
    { root: path.dirname(SUITES_DIR), cwd: process.cwd(), workspace: env.GITHUB_WORKSPACE ?? process.cwd() },
    strict,
  ))
    process.stdout.write(`${line}\n`);
  appendFileSync(stepSummary, githubSummaryMarkdown(report, strict));
}
