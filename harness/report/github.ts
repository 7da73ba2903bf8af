// GitHub Actions workflow commands for a run's findings: a regression or a changed divergence is
// an ::error at the line that defines the scenario, a flaky result or an improvement a ::warning
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions). One
// annotation per scenario and target, naming its drivers: GitHub shows only the first ten
// errors of a step.
import path from 'node:path';
import type { ReportRow, RunReport } from './run-report.ts';

const LEVEL: Partial<Record<ReportRow['verdict'], 'error' | 'warning'>> = { regression: 'error', changed: 'error', flaky: 'warning', improved: 'warning' };

// Workflow command escaping: data escapes %, CR and LF; property values also ':' and ','.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export interface AnnotationPaths {
  /** Where scenario sources (suites/...) are relative to: poolcheck's own folder. */
  readonly root: string;
  /** The checked-out repository (GITHUB_WORKSPACE): annotation paths are relative to it. */
  readonly workspace: string;
}

export function githubAnnotations(r: RunReport, paths: AnnotationPaths): string[] {
  const groups = new Map<string, ReportRow[]>();
  for (const x of r.results) {
    if (!LEVEL[x.verdict]) continue;
    const k = `${x.verdict}\u0000${x.scenario}\u0000${x.target}`;
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  return [...groups.values()].map((xs) => {
    const x = xs[0];
    const m = x.definedAt ? /^(.*?)(?::(\d+))?$/.exec(x.definedAt) : null;
    const file = m ? path.relative(paths.workspace, path.resolve(paths.root, m[1])) : undefined;
    const props = [file ? `file=${property(file)}` : '', m?.[2] ? `line=${m[2]}` : '', `title=${property(`poolcheck ${x.verdict}: ${x.scenario} on ${x.target}`)}`].filter(Boolean).join(',');
    const what = x.verdict === 'improved' ? `passes where the profile documents a divergence (${x.reason ?? ''}): update the profile`
      : x.verdict === 'flaky' ? `attempts disagreed (${(x.attempts ?? []).map((a) => a.outcome).join(', ')}): ${x.message ?? ''}` : x.message ?? '';
    return `::${LEVEL[x.verdict]} ${props}::${data(`${x.scenario} on ${x.target} with ${xs.map((y) => y.driver).join(', ')}: ${what}`)}`;
  });
}
