import type { RunReport } from './run-report.ts';

/**
 * What XML 1.0 cannot hold at all (most C0 controls, U+FFFE, U+FFFF, a surrogate without its
 * pair, https://www.w3.org/TR/xml/#charsets): one such character in a server message would make
 * the whole junit.xml unreadable to CI, so each becomes U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Element text: markup characters as entities; line breaks stay. */
const text = (s: string) => s.replace(NOT_XML, '\ufffd').replace(/[<>&]/g, (c) => ENTITIES[c]);

/**
 * An attribute value: quotes too, and tabs and line breaks as character references, which a
 * parser keeps (written as they are, it turns each into a space: attribute-value normalization).
 */
const esc = (s: string) => s.replace(NOT_XML, '\ufffd').replace(/[<>&"'\t\n\r]/g, (c) => ENTITIES[c]);

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
  const failures = (xs: readonly RunReport['results'][number][]) => count(xs, 'regression') + count(xs, 'changed') + count(xs, 'crash');
  lines.push(`<testsuites name="poolcheck" tests="${r.results.length}" failures="${failures(r.results)}" errors="${count(r.results, 'error')}" time="${(r.run.durationMs / 1000).toFixed(3)}">`);
  for (const [target, xs] of byTarget) {
    const skipped = xs.filter((x) => x.outcome === 'skip').length;
    lines.push(`  <testsuite name="${esc(target)}" tests="${xs.length}" failures="${failures(xs)}" errors="${count(xs, 'error')}" skipped="${skipped}" time="${(xs.reduce((a, x) => a + x.durationMs, 0) / 1000).toFixed(3)}">`);
    lines.push(...properties(r.targets.find((t) => t.id === target)));
    for (const x of xs) {
      const head = `    <testcase classname="${esc(`${target}.${x.driver}`)}" name="${esc(x.scenario)}" time="${(x.durationMs / 1000).toFixed(3)}"${location(x.definedAt)}`;
      const msg = esc(x.message ?? '');
      if (x.verdict === 'regression' || x.verdict === 'changed' || x.verdict === 'crash') {
        const body = text(`${x.message ?? ''}${x.documented ? `\ndocumented: ${x.documented}` : ''}${x.transcriptPath ? `\ntranscript: ${x.transcriptPath}` : ''}`);
        lines.push(`${head}><failure message="${msg}" type="${x.verdict}">${body}</failure></testcase>`);
      }
      else if (x.verdict === 'error') lines.push(`${head}><error message="${msg}" type="error">${text(x.message ?? '')}</error></testcase>`);
      else if (x.outcome === 'skip') lines.push(`${head}><skipped message="${msg}"/></testcase>`);
      else if (x.verdict === 'documented' || x.verdict === 'improved' || x.verdict === 'unprofiled' || x.verdict === 'flaky') lines.push(`${head}><system-out>${text(`${x.verdict}: ${x.message ?? 'passed'}${x.reason ? ` (profile: ${x.reason})` : ''}`)}</system-out></testcase>`);
      else lines.push(`${head}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
