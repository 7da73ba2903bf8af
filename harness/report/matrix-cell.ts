// How one cell of the scenario x target matrix is worded, for summary.md, feature-map.md and
// report.html alike. The default matrix has ~200 scenarios x 5 targets x 11 drivers, so a cell
// names drivers only where they disagree, and drivers that cannot run a scenario at all (a
// missing capability, a pooler-safe variant below its prepare threshold) are named once beside
// the scenario rather than in each of its cells.
import type { RunReport } from './run-report.ts';
import type { Verdict } from './verdict.ts';

type Row = RunReport['results'][number];

/** A result as the matrix shows it: its verdict. */
export type CellClass = Verdict;

export const classOf = (x: Pick<Row, 'verdict'>): CellClass => x.verdict;

/** The word for each class; summary.md adds Markdown emphasis, report.html colour. */
export const WORDS: Readonly<Record<CellClass, string>> = {
  ok: 'pass',
  crash: 'CRASH',
  documented: 'doc',
  changed: 'CHANGED',
  regression: 'REGRESSION',
  improved: 'improved',
  unprofiled: 'differs',
  error: 'ERROR',
  flaky: 'flaky',
  skip: 'skip',
};

/** One word of a cell and the results behind it; `named` when the cell lists its drivers. */
export interface CellWord {
  readonly cls: CellClass;
  readonly rows: readonly Row[];
  readonly named: boolean;
}

export const NOTATION_LEGEND =
  '`doc (pg, raw) · pass` = pg and raw gave doc, every other driver that ran the scenario gave pass; ' +
  '(ran: raw) or (not run by: …) beside a scenario = the drivers that could not run it (they lack a capability it needs, or, as a ' +
  'pooler-safe variant below its prepare threshold, would send what their default sends) are left out of its cells.';

/**
 * The words of a cell, leaving out the drivers in `leftOut`. The commonest word goes unnamed,
 * last, and stands for every other driver; on a tie, pass goes unnamed so the odd one out is
 * the one named.
 */
export function cellWords(xs: readonly Row[], leftOut: ReadonlySet<string> = new Set()): CellWord[] {
  const shown = xs.filter((x) => !leftOut.has(x.driver));
  if (!shown.length) return xs.length ? [{ cls: 'skip', rows: xs, named: false }] : [];
  const groups = new Map<CellClass, Row[]>();
  for (const x of shown) groups.set(classOf(x), [...(groups.get(classOf(x)) ?? []), x]);
  const ranked = [...groups].sort(([ca, a], [cb, b]) => b.length - a.length || Number(cb === 'ok') - Number(ca === 'ok'));
  const [[bareCls, bareRows], ...others] = ranked;
  return [...others.map(([cls, rows]) => ({ cls, rows, named: true })), { cls: bareCls, rows: bareRows, named: false }];
}

/** The cell as plain text: `doc (pg, raw) · pass`. `word` dresses each word (Markdown emphasis). */
export function cellText(words: readonly CellWord[], word: (cls: CellClass) => string = (cls) => WORDS[cls]): string {
  return words.map((w) => (w.named ? `${word(w.cls)} (${w.rows.map((x) => x.driver).join(', ')})` : word(w.cls))).join(' · ');
}

/**
 * The drivers that skip a scenario on every target (skipping depends on the scenario and the
 * driver only), and how the scenario column says so: the shorter of who ran it and who did not.
 */
export function scenarioDrivers(xs: readonly Row[]): { readonly leftOut: ReadonlySet<string>; readonly note: string } {
  const drivers = [...new Set(xs.map((x) => x.driver))];
  const ran = new Set(xs.filter((x) => x.outcome !== 'skip').map((x) => x.driver));
  const skipped = drivers.filter((d) => !ran.has(d));
  if (!skipped.length || !ran.size) return { leftOut: new Set(), note: '' };
  const note = ran.size <= skipped.length ? `ran: ${[...ran].join(', ')}` : `not run by: ${skipped.join(', ')}`;
  return { leftOut: new Set(skipped), note };
}
