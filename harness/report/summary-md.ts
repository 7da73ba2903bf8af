import { markdownCode as code, markdownLinkTarget as target, markdownText as t } from './markdown-text.ts';
import { cellText, cellWords, NOTATION_LEGEND, WORDS, scenarioDrivers, type CellClass } from './matrix-cell.ts';
import { countByVerdict, loginLatency, loginText, premiseShares, premiseText, type RunReport } from './run-report.ts';
import { nextSteps } from './next-steps.ts';

type Row = RunReport['results'][number];

const EMPHASIS: Partial<Record<CellClass, (w: string) => string>> = {
  crash: (w) => `**${w}**`,
  changed: (w) => `**${w}**`,
  regression: (w) => `**${w}**`,
  error: (w) => `**${w}**`,
  improved: (w) => `*${w}*`,
  flaky: (w) => `*${w}*`,
};
const markdownWord = (cls: CellClass) => (EMPHASIS[cls] ?? ((w: string) => w))(WORDS[cls]);

/** One cell in Markdown (matrix-cell.ts says how it is worded); driver ids are text like any other. */
export const cell = (xs: readonly Row[], leftOut?: ReadonlySet<string>): string =>
  cellText(
    cellWords(xs, leftOut).map((w) => ({ ...w, rows: w.rows.map((x) => ({ ...x, driver: t(x.driver) })) })),
    markdownWord,
  );

/** `[transcript](...)` after a result, when it has one. */
const transcriptLink = (x: Row) => (x.transcriptPath ? ` [transcript](${target(x.transcriptPath)})` : '');

/**
 * summary.md: a scenario x target matrix that reads in a terminal and on GitHub, then the details.
 * Everything a run or a user wrote goes in through markdown-text.ts: it is text, never HTML.
 */
export function summaryMarkdown(r: RunReport): string {
  const out: string[] = [];
  out.push(`# poolcheck summary`, '');
  out.push(`Run ${t(r.run.id)}, ${t(r.run.startedAt)}, ${(r.run.durationMs / 1000).toFixed(1)} s, poolcheck ${t(r.run.poolcheckVersion)}.`, '');
  if (r.run.interrupted)
    out.push(
      `> **Interrupted** (${t(r.run.interrupted.reason)}): ${r.results.length} of ${r.run.interrupted.planned} results; the rest never ran.`,
      '',
    );
  for (const w of r.warnings) out.push(`> **Warning:** ${t(w)}.`, '');
  out.push(countsLine(r), '');
  const next = nextSteps(r, '<this folder>');
  if (next.length) out.push('What to do next:', '', ...next.map((line) => `- ${t(line)}`), '');
  const premise = premiseShares(r.results);
  const logins = loginLatency(r.results);
  out.push(
    "| target | pooler | settings (as the release ran them) | PostgreSQL | provider | started in | login p50 / p95 / p99 | next client on the last one's server |",
    '|---|---|---|---|---|---|---|---|',
  );
  const settings = (x: RunReport['targets'][number]) =>
    Object.entries(x.effectiveSettings)
      .map(([k, v]) => `${t(k)}=${t(v)}${k in x.settings ? '' : ' (default)'}`)
      .join(', ') || '-';
  for (const x of r.targets) {
    out.push(
      `| ${t(x.id)} | ${x.pooler ? `${t(x.pooler)} ${t(x.poolerVersion ?? '?')}` : '-'} | ${settings(x)} | ${t(x.postgresVersion ?? '?')} | ${t(x.provider)} | ${x.error ? `failed: ${t(x.error)}` : `${x.startMs} ms`} | ${t(loginText(logins[x.id]))} | ${premiseText(premise[x.id])} |`,
    );
  }
  out.push(
    '',
    'Login: the time to a usable session (connect, TLS where used, authenticate, the first ReadyForQuery) over the logins the target\'s results made, a figure to hold beside direct\'s, not a verdict. The last column: of the results in which a client was to land on the server connection an earlier client of the scenario used (the premise of a leak between clients), how many did; the others are `skip` ("not exercised") where they passed.',
    '',
  );
  out.push(`Drivers: ${r.drivers.map((d) => `${t(d.id)} (${t(d.library)} ${t(d.version)})`).join(', ')}.`, '');
  out.push(
    "Legend: pass = behaves like PostgreSQL; doc = diverges as the pooler's documentation says; " +
      '**CHANGED** = diverges, but not the way the profile documents; **REGRESSION** = diverges where PostgreSQL behaviour was expected; ' +
      '*improved* = passes where a divergence was documented; differs = diverges on a pooler poolcheck has no profile for (nothing was expected); ' +
      '**ERROR** = could not be decided (harness, timeout, invalid scenario); skip = did not run, or ran without testing what it is about (the reason is in results.json and below). ' +
      NOTATION_LEGEND,
    '',
  );
  out.push(...matrixTable(r));
  const section = (title: string, rows: readonly Row[], withReason: boolean) => {
    if (!rows.length) return;
    out.push('', `## ${title}`, '');
    for (const x of rows) {
      out.push(
        `- ${code(x.scenario)} on ${t(x.target)} with ${t(x.driver)}: ${t(x.message ?? 'passed')}` +
          `${withReason && x.reason ? ` — profile: ${t(x.reason)}${x.link ? ` (${t(x.link)})` : ''}` : ''}${transcriptLink(x)}`,
      );
    }
  };
  section(
    "PostgreSQL crashed (on direct: a PostgreSQL bug this scenario sets off; the poolers' results have no baseline)",
    r.results.filter((x) => x.verdict === 'crash'),
    false,
  );
  section(
    'Regressions',
    r.results.filter((x) => x.verdict === 'regression'),
    false,
  );
  const changed = r.results.filter((x) => x.verdict === 'changed');
  if (changed.length) {
    out.push('', '## Changed (documented, but diverges another way)', '');
    for (const x of changed) {
      const observed = x.divergence ? `${x.divergence.kind}${x.divergence.sqlstate ? ` ${x.divergence.sqlstate}` : ''}` : '?';
      out.push(
        `- ${code(x.scenario)} on ${t(x.target)} with ${t(x.driver)}: documented ${t(x.documented ?? '?')} (${t(x.reason ?? '')}${x.link ? `, ${t(x.link)}` : ''}); observed ${t(observed)}: ${t(x.message ?? '')}${transcriptLink(x)}`,
      );
    }
  }
  section(
    'Unprofiled findings (no profile: everywhere it differs from PostgreSQL)',
    r.results.filter((x) => x.verdict === 'unprofiled'),
    false,
  );
  section(
    'Errors',
    r.results.filter((x) => x.verdict === 'error'),
    false,
  );
  section(
    'Flaky (attempts of one result ended in different ways; shown: the first that did not pass)',
    r.results.filter((x) => x.verdict === 'flaky'),
    false,
  );
  section(
    'Improved (the profile expected a divergence; update it)',
    r.results.filter((x) => x.verdict === 'improved'),
    true,
  );
  out.push(...defectsSection(r));
  const documented = documentedList(r);
  if (documented.length) out.push('', '## Documented divergences', '', ...documented);
  return out.join('\n') + '\n';
}

/** Each known defect of a pooler once (a profile entry's `defect`), with the scenarios where it showed. */
export function defectsSection(r: RunReport): string[] {
  const defects = [...new Set(r.results.flatMap((x) => (x.verdict === 'documented' && x.defect ? [x.defect] : [])))];
  if (!defects.length) return [];
  return [
    '',
    '## Known defects (each once, with where it showed)',
    '',
    ...defects.map((name) => {
      const rows = r.results.filter((x) => x.defect === name);
      const where = [...new Set(rows.map((x) => `${code(x.scenario)} on ${t(x.target)}`))];
      return `- **${t(name)}**: ${t(rows[0].reason ?? '')}${rows[0].link ? ` (${t(rows[0].link)})` : ''}. Showed in ${where.join(', ')}.`;
    }),
  ];
}

/** Every verdict's count, the passed, skipped and documented apart, and the matrix's size. */
export function countsLine(r: RunReport): string {
  const c = countByVerdict(r.results);
  return (
    `**${c.ok} ok, ${c.skip} skipped, ${c.documented} documented, ${c.changed} changed, ${c.regression} regression, ${c.improved} improved, ${c.unprofiled} unprofiled, ${c.error} error${c.flaky ? `, ${c.flaky} flaky` : ''}${c.crash ? `, ${c.crash} PostgreSQL crash` : ''}** ` +
    `(${r.results.length} results: ${new Set(r.results.map((x) => x.scenario)).size} scenarios x ${r.drivers.length} drivers x ${r.targets.length} targets).`
  );
}

/** The scenario x target matrix, by category: a Markdown table. */
export function matrixTable(r: RunReport): string[] {
  const out: string[] = [];
  const targets = r.targets.map((x) => x.id);
  const scenarios = [...new Map(r.results.map((x) => [x.scenario, x.category])).entries()];
  const byCell = new Map<string, Row[]>();
  const byScenario = new Map<string, Row[]>();
  for (const x of r.results) {
    byCell.set(`${x.scenario}\u0000${x.target}`, [...(byCell.get(`${x.scenario}\u0000${x.target}`) ?? []), x]);
    byScenario.set(x.scenario, [...(byScenario.get(x.scenario) ?? []), x]);
  }
  let category = '';
  out.push(`| scenario | ${targets.map(t).join(' | ')} |`, `|---|${targets.map(() => '---').join('|')}|`);
  for (const [id, cat] of scenarios) {
    if (cat !== category) {
      category = cat;
      out.push(`| **${t(cat)}** |${targets.map(() => ' ').join('|')}|`);
    }
    const { leftOut, note } = scenarioDrivers(byScenario.get(id) ?? []);
    const name = id.startsWith(`${cat}/`) ? id.slice(cat.length + 1) : id;
    out.push(`| ${t(name)}${note ? ` (${t(note)})` : ''} | ${targets.map((x) => cell(byCell.get(`${id}\u0000${x}`) ?? [], leftOut)).join(' | ')} |`);
  }
  return out;
}

/** One line per scenario and target that diverges as documented, naming its drivers, the reason and the link. */
export function documentedList(r: RunReport): string[] {
  const groups = new Map<string, Row[]>();
  for (const x of r.results.filter((y) => y.verdict === 'documented' && !y.defect)) {
    const key = `${x.scenario}\u0000${x.target}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  return [...groups.values()].map((xs) => {
    const x = xs[0];
    const tag = x.source === 'observed' ? " **[known defect, not in the pooler's docs]**" : x.source === 'issue' ? ' [known issue]' : '';
    return `- ${code(x.scenario)} on ${t(x.target)} (${xs.map((y) => t(y.driver)).join(', ')}):${tag} ${t(x.reason ?? '')}${x.link ? ` (${t(x.link)})` : ''}. First seen: ${t(x.message ?? '')}`;
  });
}
