// diff.md: a RunDiff for people, per target; the drivers that moved the same way share a line.
import type { Change, ChangeKind, RunDiff } from './diff.ts';
import { markdownCode as code, markdownText as t } from './markdown-text.ts';

const TITLES: ReadonlyArray<[ChangeKind, string]> = [
  ['new', 'New: diverging or failing where it passed'],
  ['fixed', 'Fixed: passes where it diverged or failed'],
  ['changed', 'Changed: diverges another way, or judged differently'],
];

/** Results that went another way their profile allows are no change, and are said apart. */
export function diffHeadline(d: RunDiff): string {
  const races =
    d.races > 0
      ? `${d.races} result(s) went another way their profile allows (ok and documented under a documented race, or documented by the same entry at another step or in another of its ways)`
      : '';
  if (d.counts.new + d.counts.fixed + d.counts.changed > 0)
    return `**${d.counts.new} new, ${d.counts.fixed} fixed, ${d.counts.changed} changed** (of ${d.compared} results both runs have).${races ? ` Not counted: ${races}.` : ''}`;
  return races
    ? `No change: of the ${d.compared} results both runs have, ${races}; the rest behave and are judged the same.`
    : `No change: the ${d.compared} results both runs have behave and are judged the same.`;
}

function lines(changes: readonly Change[]): string[] {
  const groups = new Map<string, { c: Change; drivers: string[] }>();
  for (const c of changes) {
    const k = `${c.scenario}\u0000${c.before}\u0000${c.after}`;
    const g = groups.get(k);
    if (g) g.drivers.push(c.driver);
    else groups.set(k, { c, drivers: [c.driver] });
  }
  return [...groups.values()].map(
    ({ c, drivers }) => `- ${code(c.scenario)} (${drivers.map(t).join(', ')}): ${t(c.before)} → ${t(c.after)}${c.message ? `: ${t(c.message)}` : ''}`,
  );
}

export function diffMarkdown(d: RunDiff): string {
  const out = [
    '# poolcheck diff',
    '',
    `Before: run ${t(d.before.runId)} (poolcheck ${t(d.before.poolcheckVersion)}); after: run ${t(d.after.runId)} (poolcheck ${t(d.after.poolcheckVersion)}).`,
    '',
    diffHeadline(d),
  ];
  if (d.targetsOnlyBefore.length) out.push('', `Targets only before: ${d.targetsOnlyBefore.map(t).join(', ')}.`);
  if (d.targetsOnlyAfter.length) out.push('', `Targets only after: ${d.targetsOnlyAfter.map(t).join(', ')}.`);
  for (const x of d.targets) {
    const release = x.before === x.after ? x.after : `${x.before} → ${x.after}`;
    out.push('', `## ${t(x.target)}${release ? ` (${t(release)})` : ''}`, '');
    if (!x.changes.length) out.push('No change.');
    for (const [kind, title] of TITLES) {
      const xs = x.changes.filter((c) => c.kind === kind);
      if (xs.length) out.push(`### ${title}`, '', ...lines(xs), '');
    }
    if (x.onlyBefore || x.onlyAfter) out.push(`(${x.onlyBefore} results only before, ${x.onlyAfter} only after: not compared.)`);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
