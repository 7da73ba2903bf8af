// diff.md: a RunDiff for people, per target; the drivers that moved the same way share a line.
import type { Change, ChangeKind, RunDiff } from './diff.ts';

const TITLES: ReadonlyArray<[ChangeKind, string]> = [
  ['new', 'New: diverging or failing where it passed'], ['fixed', 'Fixed: passes where it diverged or failed'], ['changed', 'Changed: diverges another way, or judged differently'],
];

export const diffHeadline = (d: RunDiff) => (d.counts.new + d.counts.fixed + d.counts.changed === 0
  ? `No change: the ${d.compared} results both runs have behave and are judged the same.`
  : `**${d.counts.new} new, ${d.counts.fixed} fixed, ${d.counts.changed} changed** (of ${d.compared} results both runs have).`);

function lines(changes: readonly Change[]): string[] {
  const groups = new Map<string, { c: Change; drivers: string[] }>();
  for (const c of changes) {
    const k = `${c.scenario}\u0000${c.before}\u0000${c.after}`;
    const g = groups.get(k);
    if (g) g.drivers.push(c.driver); else groups.set(k, { c, drivers: [c.driver] });
  }
  return [...groups.values()].map(({ c, drivers }) => `- \`${c.scenario}\` (${drivers.join(', ')}): ${c.before} → ${c.after}${c.message ? `: ${c.message}` : ''}`);
}

export function diffMarkdown(d: RunDiff): string {
  const out = ['# poolcheck diff', '', `Before: run ${d.before.runId} (poolcheck ${d.before.poolcheckVersion}); after: run ${d.after.runId} (poolcheck ${d.after.poolcheckVersion}).`, '', diffHeadline(d)];
  if (d.targetsOnlyBefore.length) out.push('', `Targets only before: ${d.targetsOnlyBefore.join(', ')}.`);
  if (d.targetsOnlyAfter.length) out.push('', `Targets only after: ${d.targetsOnlyAfter.join(', ')}.`);
  for (const t of d.targets) {
    const release = t.before === t.after ? t.after : `${t.before} → ${t.after}`;
    out.push('', `## ${t.target}${release ? ` (${release})` : ''}`, '');
    if (!t.changes.length) out.push('No change.');
    for (const [kind, title] of TITLES) {
      const xs = t.changes.filter((c) => c.kind === kind);
      if (xs.length) out.push(`### ${title}`, '', ...lines(xs), '');
    }
    if (t.onlyBefore || t.onlyAfter) out.push(`(${t.onlyBefore} results only before, ${t.onlyAfter} only after: not compared.)`);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
