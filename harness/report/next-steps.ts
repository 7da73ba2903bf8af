// What to do next about each kind of finding a run has, for summary.md and the closing lines on
// stdout: the command that runs that one result again, the reproducer to attach, the profile
// entry to add or update. One line per kind, naming its first result; the rest are alike.
import type { ErrorCause } from '../scenario/result.ts';
import type { ReportRow, RunReport } from './run-report.ts';
import type { Verdict } from './verdict.ts';

const rerun = (x: ReportRow) => `npx poolcheck run --targets '${x.target}' --drivers ${x.driver} --scenarios ${x.scenario}`;
const repro = (x: ReportRow, out: string) => `npx poolcheck repro --from ${out} --result '${x.scenario}@${x.target}/${x.driver}' --to repro/`;
const undecided = (x: ReportRow) =>
  `undecided (${x.cause ?? 'error'}): see logs/ in the out folder, fix the environment or the binary given, and run it again (${rerun(x)}).`;

/** What to do about an error, by its cause (an error of an older run may have none: undecided). */
const ERROR_STEPS: Readonly<Record<ErrorCause, (x: ReportRow) => string>> = {
  'invalid-scenario': (x) =>
    `a scenario fails on direct PostgreSQL: a catalogue bug, not the pooler's; run it on direct alone (${rerun({ ...x, target: 'direct' })}) and fix or report the scenario.`,
  infrastructure: undecided,
  stall: (x) =>
    `a login got no answer while a fresh one right after got in, and the run again erred too: the pooler (or the machine) stalled; run it again alone on an idle machine (${rerun(x)}), and read the pooler's log in logs/ for what it waited on if it stalls there too.`,
  'no-baseline': () => 'PostgreSQL itself did not give a baseline for these: see their direct results first.',
  driver: undecided,
  'postgres-crash': () =>
    "PostgreSQL's own backend crashed on direct with these, so the poolers' results have no baseline: see the crash results on direct first.",
};

const STEPS: Partial<Record<Verdict, (x: ReportRow, out: string) => string>> = {
  crash: (x, out) =>
    `PostgreSQL's own backend crashed (its log lines are in results.json): run it alone (${rerun(x)}), export it (${repro(x, out)}) and report it to PostgreSQL; the poolers' results of it have no baseline until then.`,
  regression: (x, out) =>
    `read the transcript beside PostgreSQL's, run it again alone (${rerun(x)}); if it repeats it is a new pooler bug: export it (${repro(x, out)}) and report it upstream; add a profile entry (link, versions) once it is documented or tracked.`,
  changed: (x) =>
    `the documented divergence happens another way: compare the kind and SQLSTATE seen with the profile entry of ${x.scenario} and update its divergence (and its version range, if a release changed it).`,
  improved: (x) =>
    `a documented divergence no longer happens on ${x.target}: find the release that fixed it and close the entry's versions range there (run with --strict in CI so it cannot rot).`,
  unprofiled: () =>
    'the pooler has no profile, so nothing was expected: write one (--profile my-pooler.yaml) from its documentation for what it documents, and report the rest.',
  flaky: (x) =>
    `attempts disagreed: run it again with --repeat-each 10 (${rerun(x)} --repeat-each 10); disagreement that stays is a race in the pooler (report it with both transcripts) or a scenario that depends on timing.`,
  error: (x) => (x.cause ? ERROR_STEPS[x.cause] : undecided)(x),
};

/** One line per kind of finding the run has, in the order they matter. */
export function nextSteps(r: RunReport, out: string): string[] {
  const order: Verdict[] = ['crash', 'regression', 'changed', 'error', 'flaky', 'improved', 'unprofiled'];
  return order.flatMap((v) => {
    const first = r.results.find((x) => x.verdict === v);
    const step = first && STEPS[v];
    return step ? [`${v}: ${step(first, out)}`] : [];
  });
}
