// The step summary a run writes in GitHub Actions: what someone opening the job page needs first,
// in the order they need it. The counts, then every result that is not ok (grouped as the
// annotations are, capped), then what changed since the baseline; the matrix and the documented
// divergences are folded in <details>. A job page resolves no relative link (the out folder is
// an artifact, not a page beside it), so none is written; links to a pooler's documentation
// stay. The whole stays far below GitHub's 1 MiB per step: a part that would not fit is named
// and left to summary.md in the uploaded reports.
import { diffHeadline } from './diff-md.ts';
import { markdownCode as code, markdownText as t } from './markdown-text.ts';
import { NOTATION_LEGEND } from './matrix-cell.ts';
import type { ReportRow, RunReport } from './run-report.ts';
import { countsLine, documentedList, matrixTable } from './summary-md.ts';
import type { Verdict } from './verdict.ts';

/** The size the summary keeps to: a quarter of GitHub's limit, so several steps of a job fit. */
export const GITHUB_SUMMARY_BUDGET = 256 * 1024;
/** Lines of not-ok results listed before the rest are counted: the top stays short. */
const LISTED = 40;
/** A message longer than this is cut in the list (the whole of it is in summary.md). */
const MESSAGE_CHARS = 200;

const NOT_OK: ReadonlyArray<[Verdict, string]> = [
  ['regression', '**REGRESSION**'],
  ['changed', '**CHANGED**'],
  ['error', '**ERROR**'],
  ['flaky', '*flaky*'],
  ['improved', '*improved*'],
  ['unprofiled', 'differs'],
];

const clip = (s: string) => (s.length > MESSAGE_CHARS ? `${s.slice(0, MESSAGE_CHARS - 1)}…` : s);

/** The not-ok results as table rows, one per verdict, scenario, target and message, naming the drivers. */
function notOkRows(r: RunReport): { rows: string[]; total: number } {
  const groups = new Map<string, ReportRow[]>();
  for (const [verdict] of NOT_OK) {
    for (const x of r.results.filter((y) => y.verdict === verdict)) {
      const k = `${verdict}\u0000${x.scenario}\u0000${x.target}\u0000${x.divergence ? `${x.divergence.step}/${x.divergence.kind}/${x.divergence.sqlstate ?? ''}` : (x.message ?? '')}`;
      groups.set(k, [...(groups.get(k) ?? []), x]);
    }
  }
  const word = new Map(NOT_OK);
  const rows = [...groups.values()].map((xs) => {
    const x = xs[0];
    const profile = x.verdict === 'improved' || x.verdict === 'changed' ? ` (profile: ${t(clip(x.reason ?? ''))})` : '';
    return `| ${word.get(x.verdict)} | ${code(x.scenario)} | ${t(x.target)} | ${xs.map((y) => t(y.driver)).join(', ')} | ${t(clip(x.message ?? ''))}${profile} |`;
  });
  return { rows, total: rows.length };
}

/** `<details>` around Markdown: GitHub renders a table inside only with the blank lines. */
const folded = (title: string, body: readonly string[]) => ['<details>', `<summary>${title}</summary>`, '', ...body, '', '</details>', ''];

export function githubSummaryMarkdown(r: RunReport, strict = false): string {
  const top: string[] = [
    `## poolcheck ${r.run.shard ? `shard ${r.run.shard.index}/${r.run.shard.count}` : 'run'} ${t(r.run.id)}`,
    '',
    countsLine(r),
    '',
  ];
  if (r.run.interrupted)
    top.push(
      `> **Interrupted** (${t(r.run.interrupted.reason)}): ${r.results.length} of ${r.run.interrupted.planned} results; the rest never ran.`,
      '',
    );
  for (const w of r.warnings.slice(0, 5)) top.push(`> **Warning:** ${t(clip(w))}.`, '');
  if (r.warnings.length > 5) top.push(`> and ${r.warnings.length - 5} more warning(s) in summary.md.`, '');
  const failed = r.targets.filter((x) => x.error);
  for (const x of failed) top.push(`- target ${t(x.id)} failed to start: ${t(clip(x.error ?? ''))}`);
  if (failed.length) top.push('');
  const { rows, total } = notOkRows(r);
  if (total) {
    top.push(
      `### Not ok${strict ? ' (--strict: improved and flaky fail the run too)' : ''}`,
      '',
      '| verdict | scenario | target | drivers | what happened |',
      '|---|---|---|---|---|',
      ...rows.slice(0, LISTED),
    );
    if (total > LISTED) top.push('', `and ${total - LISTED} more: summary.md in the uploaded reports lists them all.`);
    top.push('');
  } else {
    top.push('Every result behaves like PostgreSQL, or diverges where the profile documents it.', '');
  }
  if (r.diff) top.push(`Since run ${t(r.diff.before.runId)}: ${diffHeadline(r.diff)}`, '');
  const targets = r.targets.map((x) => `${t(x.id)}${x.pooler ? ` (${t(x.pooler)} ${t(x.poolerVersion ?? '?')})` : ''}`).join(', ');
  top.push(`Targets: ${targets}; PostgreSQL ${t(r.targets[0]?.postgresVersion ?? '?')}; drivers: ${r.drivers.map((d) => t(d.id)).join(', ')}.`, '');
  const parts = [
    folded(`Matrix: ${new Set(r.results.map((x) => x.scenario)).size} scenarios x ${r.targets.length} targets`, [
      ...matrixTable(r),
      '',
      `pass = behaves like PostgreSQL; doc = diverges as documented; skip = not run, or not exercised. ${NOTATION_LEGEND}`,
    ]),
    folded(`Documented divergences (${r.results.filter((x) => x.verdict === 'documented').length} results)`, documentedList(r)),
  ];
  let text = `${top.join('\n')}\n`;
  for (const part of parts) {
    const block = part.join('\n');
    text +=
      Buffer.byteLength(text + block) < GITHUB_SUMMARY_BUDGET
        ? block
        : `${part[1].replace(/<\/?summary>/g, '')}: left out here (${Math.round(Buffer.byteLength(block) / 1024)} KiB); summary.md in the uploaded reports has it.\n\n`;
  }
  return text;
}
