import type { RunReport } from './run-report.ts';

/**
 * What XML 1.0 cannot hold at all (most C0 controls, U+FFFE, U+FFFF, a surrogate without its
 * pair, https://www.w3.org/TR/xml/#charsets): one such character in a server message would make
 * the whole junit.xml unreadable to CI, so each becomes U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

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
    ['provider', t.provider],
    ['postgresVersion', t.postgresVersion ?? 'unknown'],
    ...(t.pooler
      ? ([
          ['pooler', t.pooler],
          ['poolerVersion', t.poolerVersion ?? 'unknown'],
          ['mode', t.mode ?? ''],
        ] as Array<[string, string]>)
      : []),
    ...Object.entries(t.effectiveSettings).map(([k, v]): [string, string] => [`setting.${k}`, `${v}${k in t.settings ? '' : ' (default)'}`]),
  ];
  return ['    <properties>', ...props.map(([k, v]) => `      <property name="${esc(k)}" value="${esc(v)}"/>`), '    </properties>'];
}

/** file="..." line="..." of the scenario's definition, as GitHub's and GitLab's test reports read them. */
function location(source: string | undefined): string {
  const m = source ? /^(.*?)(?::(\d+))?$/.exec(source) : null;
  return m ? ` file="${esc(m[1])}"${m[2] ? ` line="${m[2]}"` : ''}` : '';
}

/**
 * A testcase's classname: its target and driver. Jenkins reads a classname as package.Class and
 * splits it at the last dot, so a dot in an id (postgres.js, a setting's value) becomes `_`; the
 * ids as they are stand in the testcase's properties.
 */
export const junitClassname = (target: string, driver: string): string => `${target}/${driver}`.replace(/\./g, '_');

type Row = RunReport['results'][number];

/** Verdicts that fail the run, and so junit.xml: with --strict, improved and flaky too. */
const failing = (x: Row, strict: boolean) =>
  x.verdict === 'crash' || x.verdict === 'regression' || x.verdict === 'changed' || (strict && (x.verdict === 'improved' || x.verdict === 'flaky'));

/** What a testcase says: its verdict and the ids its classname had to change, as the testcase's properties. */
function caseProperties(x: Row): string {
  const props: Array<[string, string]> = [
    ['target', x.target],
    ['driver', x.driver],
    ...(x.verdict === 'ok' ? [] : ([['verdict', x.verdict]] as Array<[string, string]>)),
    ...(x.reason ? ([['reason', x.reason]] as Array<[string, string]>) : []),
    ...(x.link ? ([['link', x.link]] as Array<[string, string]>) : []),
  ];
  return `<properties>${props.map(([k, v]) => `<property name="${esc(k)}" value="${esc(v)}"/>`).join('')}</properties>`;
}

/**
 * The attempts of a flaky result that did not pass, as Maven Surefire writes reruns (which
 * Jenkins, GitLab and most CI test views read): `flakyFailure` in a testcase that passed in the
 * end, `rerunFailure` beside the `failure` of one that fails (here: flaky under --strict).
 */
function reruns(x: Row, element: 'flakyFailure' | 'rerunFailure'): string {
  return (x.attempts ?? [])
    .filter((a) => a.outcome !== 'pass')
    .map((a) => `<${element} message="${esc(a.message ?? a.outcome)}" type="${esc(a.outcome)}">${text(a.message ?? '')}</${element}>`)
    .join('');
}

function testcase(x: Row, strict: boolean): string {
  const head = `    <testcase classname="${esc(junitClassname(x.target, x.driver))}" name="${esc(x.scenario)}" time="${(x.durationMs / 1000).toFixed(3)}"${location(x.definedAt)}>${caseProperties(x)}`;
  const msg = esc(x.message ?? '');
  if (failing(x, strict)) {
    const why =
      x.verdict === 'improved'
        ? `passes where the profile documents a divergence (${x.reason ?? ''}): --strict fails it until the profile is updated`
        : x.verdict === 'flaky'
          ? `attempts disagreed (${(x.attempts ?? []).map((a) => a.outcome).join(', ')}): --strict fails it`
          : (x.message ?? '');
    const body = text(`${why}${x.documented ? `\ndocumented: ${x.documented}` : ''}${x.transcriptPath ? `\ntranscript: ${x.transcriptPath}` : ''}`);
    return `${head}<failure message="${esc(why)}" type="${x.verdict}">${body}</failure>${x.verdict === 'flaky' ? reruns(x, 'rerunFailure') : ''}</testcase>`;
  }
  if (x.verdict === 'error') return `${head}<error message="${msg}" type="error">${text(x.message ?? '')}</error></testcase>`;
  if (x.outcome === 'skip') return `${head}<skipped message="${msg}"/></testcase>`;
  if (x.verdict === 'flaky') return `${head}${reruns(x, 'flakyFailure')}<system-out>${text(`flaky: ${x.message ?? ''}`)}</system-out></testcase>`;
  if (x.verdict === 'documented' || x.verdict === 'improved' || x.verdict === 'unprofiled')
    return `${head}<system-out>${text(`${x.verdict}: ${x.message ?? 'passed'}${x.reason ? ` (profile: ${x.reason})` : ''}`)}</system-out></testcase>`;
  return `${head}</testcase>`;
}

/**
 * One testsuite per target, one testcase per scenario and driver. What fails the run fails its
 * testcase (with --strict, improved and flaky too), errors error, skips are skipped, and a flaky
 * result carries its attempts.
 */
export function junitXml(r: RunReport, strict = false): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const byTarget = new Map<string, Row[]>();
  for (const x of r.results) byTarget.set(x.target, [...(byTarget.get(x.target) ?? []), x]);
  const failures = (xs: readonly Row[]) => xs.filter((x) => failing(x, strict)).length;
  const errors = (xs: readonly Row[]) => xs.filter((x) => x.verdict === 'error').length;
  lines.push(
    `<testsuites name="poolcheck" tests="${r.results.length}" failures="${failures(r.results)}" errors="${errors(r.results)}" time="${(r.run.durationMs / 1000).toFixed(3)}">`,
  );
  for (const [target, xs] of byTarget) {
    const skipped = xs.filter((x) => x.outcome === 'skip').length;
    lines.push(
      `  <testsuite name="${esc(target)}" tests="${xs.length}" failures="${failures(xs)}" errors="${errors(xs)}" skipped="${skipped}" time="${(xs.reduce((a, x) => a + x.durationMs, 0) / 1000).toFixed(3)}">`,
    );
    lines.push(...properties(r.targets.find((t) => t.id === target)));
    lines.push(...xs.map((x) => testcase(x, strict)));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
