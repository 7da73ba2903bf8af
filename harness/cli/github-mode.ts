// GitHub mode: inside a GitHub Actions step (GITHUB_STEP_SUMMARY is set) the run's summary.md goes
// to the step's summary page and its findings become annotations. A shard annotates only (each
// result belongs to one shard, so none is said twice) and leaves the summary to poolcheck merge,
// which writes the summary only.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { githubAnnotations } from '../report/github.ts';
import type { RunReport } from '../report/run-report.ts';
import { SUITES_DIR } from '../scenario/catalog.ts';

/** GitHub refuses a step summary above 1 MiB. */
const SUMMARY_LIMIT = 1024 * 1024 - 4096;

export interface GithubParts {
  readonly annotate: boolean;
  readonly summary: boolean;
}

export function githubMode(report: RunReport, out: string, parts: GithubParts, env: NodeJS.ProcessEnv = process.env): void {
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (!stepSummary) return;
  if (parts.annotate) {
    for (const line of githubAnnotations(report, { root: path.dirname(SUITES_DIR), workspace: env.GITHUB_WORKSPACE ?? process.cwd() })) process.stdout.write(`${line}\n`);
  }
  if (parts.summary) {
    const texts = ['summary.md', 'diff.md'].map((f) => path.join(out, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
    let text = texts.join('\n');
    if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
      text = `${text.slice(0, SUMMARY_LIMIT / 2).replace(/\n[^\n]*$/, '')}\n\n(cut here: GitHub takes 1 MiB of step summary; the whole of it is summary.md in the uploaded reports)\n`;
    }
    appendFileSync(stepSummary, text);
  }
}
