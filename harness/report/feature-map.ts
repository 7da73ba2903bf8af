import { matchesId } from '../kernel/id-glob.ts';
import type { PublishedAnswers } from '../poolers/profile.ts';
import type { Feature, FeatureCell } from './feature.ts';
import { agrees } from './feature.ts';
import { markdownCode as code, markdownLinkTarget as target, markdownText as t } from './markdown-text.ts';
import { NOTATION_LEGEND, scenarioDrivers } from './matrix-cell.ts';
import type { RunReport } from './run-report.ts';
import { cell } from './summary-md.ts';
import { PINNING_PREFIX, pinningRows, pinningTargets, pinsAfter } from './pinning-map.ts';

/** The pinning map (pinning-map.ts), where the run has its results: a row per action, a column per transaction or statement pooling target. */
function pinningMarkdown(r: RunReport): string[] {
  const rows = pinningRows(r);
  if (!rows.length) return [];
  const targets = pinningTargets(r).filter((id) => rows.some((row) => row.cells[id] !== undefined));
  return [
    '',
    '## Pinning map',
    '',
    `After each action a client keeps what it made; is it kept on its server connection, so that another client of a one-server pool waits (pins), is the other client served (does not pin), or is the action refused? From the \`${PINNING_PREFIX}*\` scenarios (opt-in). Not tried: a message over 16 MB (too costly to send on every target).`,
    '',
    ...targets.map((id) => `- ${t(id)}: ${t(pinsAfter(rows, id))}`),
    '',
    `| action | ${targets.map(t).join(' | ')} |`,
    `|---|${targets.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${t(row.action)} | ${targets.map((id) => t(row.cells[id] ?? '-')).join(' | ')} |`),
  ];
}

type Row = RunReport['results'][number];

export function matchesFeature(f: Feature, scenario: string): boolean {
  return f.scenarios.some((p) => matchesId(scenario, p));
}

export function featureCell(results: readonly Row[]): FeatureCell {
  const ran = results.filter((r) => r.outcome === 'pass' || r.outcome === 'diverge');
  if (!ran.length) return 'n/a';
  const passed = ran.filter((r) => r.outcome === 'pass').length;
  return passed === ran.length ? 'Yes' : passed === 0 ? 'No' : 'Partial';
}

/** The feature's anchor: letters, digits and dashes only, as it is both an HTML id and a link. */
const anchor = (f: Feature) => `feature-${f.id.replace(/[^a-z0-9-]/gi, '-')}`;

/** What the feature map needs beside the report: the features, and each target's published answers. */
export interface FeatureMapInput {
  readonly features: readonly Feature[];
  readonly published: (target: string) => PublishedAnswers | undefined;
}

/** One target's cell of a feature: what poolcheck measured, beside what the pooler's documentation says. */
export interface FeatureMapCell {
  readonly target: string;
  readonly measured: FeatureCell;
  /** The pooler's published answer for this mode, when its profile has one. */
  readonly documented?: string;
  /** True when the documentation says otherwise than the measurement. */
  readonly disagrees: boolean;
}

/** The feature map as data, one row per feature and one cell per target, for every writer that shows it. */
export function featureRows(
  r: RunReport,
  features: readonly Feature[],
  published: (target: string) => PublishedAnswers | undefined,
): Array<{ readonly feature: Feature; readonly cells: readonly FeatureMapCell[] }> {
  return features.map((feature) => ({
    feature,
    cells: r.targets.map(({ id: target }) => {
      const measured = featureCell(r.results.filter((x) => x.target === target && matchesFeature(feature, x.scenario)));
      const documented = published(target)?.cells[feature.id];
      return { target, measured, documented, disagrees: documented !== undefined && !agrees(measured, documented) };
    }),
  }));
}

/** The table alone: one row per feature, one column per target; cells link to the feature's section. */
export function featureTable(
  r: RunReport,
  features: readonly Feature[],
  published: (target: string) => PublishedAnswers | undefined,
  linkBase = '',
): string[] {
  const targets = r.targets.map((t) => t.id);
  const out = [`| feature | ${targets.map(t).join(' | ')} |`, `|---|${targets.map(() => '---').join('|')}|`];
  const disagreements: string[] = [];
  for (const { feature: f, cells } of featureRows(r, features, published)) {
    const texts = cells.map(({ target, measured, documented, disagrees }) => {
      if (disagrees)
        disagreements.push(`${t(f.title)} on ${t(target)}: poolcheck measured ${measured}, the pooler's documentation says ${t(documented ?? '')}`);
      return `[${measured}](${linkBase}#${anchor(f)})${documented !== undefined ? ` (docs: ${t(documented)}${disagrees ? ' **disagrees**' : ''})` : ''}`;
    });
    out.push(`| ${t(f.title)} | ${texts.join(' | ')} |`);
  }
  if (disagreements.length) out.push('', "Where the measurement and the pooler's documentation disagree:", '', ...disagreements.map((d) => `- ${d}`));
  return out;
}

/** feature-map.md: the table, then per feature the scenarios behind each cell. */
export function featureMapMarkdown(r: RunReport, features: readonly Feature[], published: (target: string) => PublishedAnswers | undefined): string {
  const out = [
    '# Feature map',
    '',
    'Yes = every scenario of the feature behaves like PostgreSQL on that target; No = none does; Partial = some do; n/a = no driver could run them. ' +
      '"docs" is what the pooler\'s own documentation says for that mode (a documented Never/No/not supported agrees with No or Partial; any other documented answer needs Yes).',
    '',
    `The scenarios' cells are worded as in summary.md: ${NOTATION_LEGEND}`,
    '',
  ];
  out.push(...featureTable(r, features, published));
  out.push(...pinningMarkdown(r));
  const targets = r.targets.map((t) => t.id);
  const byCell = new Map<string, Row[]>();
  for (const x of r.results) byCell.set(`${x.scenario}\u0000${x.target}`, [...(byCell.get(`${x.scenario}\u0000${x.target}`) ?? []), x]);
  const links = [...new Set(r.targets.map((t) => published(t.id)?.link).filter(Boolean))];
  if (links.length) out.push('', `Documentation compared: ${links.map((l) => t(l ?? '')).join(', ')}`);
  for (const f of features) {
    out.push(
      '',
      `## ${t(f.title)}`,
      '',
      `<a id="${anchor(f)}"></a>`,
      '',
      `| scenario | ${targets.map(t).join(' | ')} |`,
      `|---|${targets.map(() => '---').join('|')}|`,
    );
    const ids = [...new Set(r.results.filter((x) => matchesFeature(f, x.scenario)).map((x) => x.scenario))];
    for (const id of ids) {
      const { leftOut, note } = scenarioDrivers(r.results.filter((x) => x.scenario === id));
      const cells = targets.map((t) => {
        const xs = byCell.get(`${id}\u0000${t}`) ?? [];
        const transcript = xs.find((x) => x.outcome === 'diverge')?.transcriptPath ?? xs.find((x) => x.transcriptPath)?.transcriptPath;
        return transcript ? `[${cell(xs, leftOut)}](${target(transcript)})` : cell(xs, leftOut);
      });
      out.push(`| ${code(id)}${note ? ` (${t(note)})` : ''} | ${cells.join(' | ')} |`);
    }
  }
  return out.join('\n') + '\n';
}
