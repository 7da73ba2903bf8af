// GitHub Actions workflow commands for a run's findings
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions): one
// annotation per distinct finding, at the line that defines the scenario. A finding is a
// scenario that diverged one way (the step, the kind, the SQLSTATE) with its verdict, whichever
// targets and drivers showed it: the same leak on three pooling modes is one annotation naming
// them. GitHub shows the first 10 error and 10 warning annotations of a step and drops the rest
// without a word, so poolcheck writes at most that many and one notice saying how many more
// there are and where they are.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ReportRow, RunReport } from './run-report.ts';

type Level = 'error' | 'warning';

/** What GitHub shows per step and level. */
export const ANNOTATIONS_SHOWN = 10;

/** A regression, a changed divergence or an error fails the run; improved and flaky do with --strict. */
function levelOf(verdict: ReportRow['verdict'], strict: boolean): Level | undefined {
  if (verdict === 'regression' || verdict === 'changed' || verdict === 'error') return 'error';
  if (verdict === 'improved' || verdict === 'flaky') return strict ? 'error' : 'warning';
  return undefined;
}

// Workflow command escaping: data escapes %, CR and LF; property values also ':' and ','.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export interface AnnotationPaths {
  /** Where poolcheck's own scenario sources (suites/...) are relative to: its package folder. */
  readonly root: string;
  /** Where a user's case files are relative to: the folder poolcheck ran in. */
  readonly cwd: string;
  /** The checked-out repository (GITHUB_WORKSPACE): annotation paths are relative to it. */
  readonly workspace: string;
}

/** The finding a result is part of: same verdict, scenario and divergence (step, kind, SQLSTATE). */
const findingKey = (x: ReportRow) =>
  [
    x.verdict,
    x.scenario,
    x.divergence ? `${x.divergence.step}/${x.divergence.kind}/${x.divergence.sqlstate ?? ''}` : (x.cause ?? x.message ?? ''),
  ].join('\u0000');

/** "pgbouncer:transaction (raw, pg), pgbouncer:statement (raw)": where a finding showed. */
function where(xs: readonly ReportRow[]): string {
  const byTarget = new Map<string, string[]>();
  for (const x of xs) byTarget.set(x.target, [...(byTarget.get(x.target) ?? []), x.driver]);
  return [...byTarget].map(([t, ds]) => `${t} (${ds.join(', ')})`).join(', ');
}

/** `file` of a definedAt: a user's case relative to where poolcheck ran, else poolcheck's own, relative to the workspace. */
function fileOf(definedAt: string, paths: AnnotationPaths): { file: string; line?: string } {
  const m = /^(.*?)(?::(\d+))?$/.exec(definedAt)!;
  const own = path.resolve(paths.cwd, m[1]);
  const file = existsSync(own) ? own : path.resolve(paths.root, m[1]);
  return { file: path.relative(paths.workspace, file), ...(m[2] ? { line: m[2] } : {}) };
}

function annotation(xs: readonly ReportRow[], level: Level, paths: AnnotationPaths): string {
  const x = xs[0];
  const at = x.definedAt ? fileOf(x.definedAt, paths) : undefined;
  const props = [
    at ? `file=${property(at.file)}` : '',
    at?.line ? `line=${at.line}` : '',
    `title=${property(`poolcheck ${x.verdict}: ${x.scenario}`)}`,
  ]
    .filter(Boolean)
    .join(',');
  const what =
    x.verdict === 'improved'
      ? `passes where the profile documents a divergence (${x.reason ?? ''}): update the profile`
      : x.verdict === 'flaky'
        ? `attempts disagreed (${(x.attempts ?? []).map((a) => a.outcome).join(', ')}): ${x.message ?? ''}`
        : (x.message ?? '');
  return `::${level} ${props}::${data(`${x.scenario} on ${where(xs)}: ${what}`)}`;
}

/** The run's annotations, errors first, each level capped at what GitHub shows, and a notice for the rest. */
export function githubAnnotations(r: RunReport, paths: AnnotationPaths, strict = false): string[] {
  const findings = new Map<string, ReportRow[]>();
  for (const x of r.results) {
    if (!levelOf(x.verdict, strict)) continue;
    const k = findingKey(x);
    findings.set(k, [...(findings.get(k) ?? []), x]);
  }
  const out: string[] = [];
  let left = 0;
  for (const level of ['error', 'warning'] as const) {
    const mine = [...findings.values()].filter((xs) => levelOf(xs[0].verdict, strict) === level);
    out.push(...mine.slice(0, ANNOTATIONS_SHOWN).map((xs) => annotation(xs, level, paths)));
    left += Math.max(0, mine.length - ANNOTATIONS_SHOWN);
  }
  if (left)
    out.push(
      `::notice title=poolcheck::${data(`+${left} more finding(s) not annotated (GitHub shows ${ANNOTATIONS_SHOWN} errors and ${ANNOTATIONS_SHOWN} warnings per step): the step summary and summary.md in the reports list them all`)}`,
    );
  return out;
}
