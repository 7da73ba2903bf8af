import type { RunReport } from './run-report.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // XML 1.0 forbids most control characters
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** The target's versions and settings, for CI test reports that show a suite's properties. */
function properties(t: RunReport['targets'][number] | undefined): string[] {
  if (!t) return [];
  const props: Array<[string, string]> = [
    ['provider', t.provider], ['postgresVersion', t.postgresVersion ?? 'unknown'],
    ...(t.pooler ? [['pooler', t.pooler], ['poolerVersion', t.poolerVersion ?? 'unknown'], ['mode', t.mode ?? '']] as Array<[string, string]> : []),
    ...Object.entries(t.effectiveSettings).map(([k, v]): [string, string] => [`setting.${k}`, `${v}${k in t.settings ? '' : ' (default)'}`]),
  ];
  return ['    <properties>', ...props.map(([k, v]) => `      <property name="${esc(k)}" value="${esc(v)}"/>`), '    </properties>'];
}

/** file="..." line="..." of the scenario's definition, as GitHub's and GitLab's test reports read them. */
function location(source: string | undefined): string {
  const m = source ? /^(.*?)(?::(\d+))?$/.exec(source) : null;
  return m ? ` file="${esc(m[1])}"${m[2] ? ` line="${m[2]}"` : ''}` : '';
}

/** One testsuite per target, one testcase per scenario and driver. Regressions fail, errors error. */
export function junitXml(r: RunReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const byTarget = new Map<string, RunReport['results'][number][]>();
  for (const x of r.results) byTarget.set(x.target, [...(byTarget.get(x.target) ?? []), x]);
  const count = (xs: readonly RunReport['results'][number][], v: string) => xs.filter((x) => x.verdict === v).length;
  const failures = (xs: readonly RunReport['results'][number][]) => count(xs, 'regression') + count(xs, 'changed');
  lines.push(`<testsuites name="poolcheck" tests="${r.results.length}" failures="${failures(r.results)}" errors="${count(r.results, 'error')}" time="${(r.run.durationMs / 1000).toFixed(3)}">`);
  for (const [target, xs] of byTarget) {
    const skipped = xs.filter((x) => x.outcome === 'skip').length;
    lines.push(`  <testsuite name="${esc(target)}" tests="${xs.length}" failures="${failures(xs)}" errors="${count(xs, 'error')}" skipped="${skipped}" time="${(xs.reduce((a, x) => a + x.durationMs, 0) / 1000).toFixed(3)}">`);
    lines.push(...properties(r.targets.find((t) => t.id === target)));
    for (const x of xs) {
      const head = `    <testcase classname="${esc(`${target}.${x.driver}`)}" name="${esc(x.scenario)}" time="${(x.durationMs / 1000).toFixed(3)}"${location(x.definedAt)}`;
      const msg = esc(x.message ?? '');
      if (x.verdict === 'regression' || x.verdict === 'changed') {
        const body = `${msg}${x.documented ? `\ndocumented: ${esc(x.documented)}` : ''}${x.transcriptPath ? `\ntranscript: ${esc(x.transcriptPath)}` : ''}`;
        lines.push(`${head}><failure message="${msg}" type="${x.verdict}">${body}</failure></testcase>`);
      }
      else if (x.verdict === 'error') lines.push(`${head}><error message="${msg}" type="error">${msg}</error></testcase>`);
      else if (x.outcome === 'skip') lines.push(`${head}><skipped message="${msg}"/></testcase>`);
      else if (x.verdict === 'documented' || x.verdict === 'improved' || x.verdict === 'unprofiled' || x.verdict === 'flaky') lines.push(`${head}><system-out>${esc(`${x.verdict}: ${x.message ?? 'passed'}${x.reason ? ` (profile: ${x.reason})` : ''}`)}</system-out></testcase>`);
      else lines.push(`${head}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
