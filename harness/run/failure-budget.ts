// --max-failures N: once N results have failed (judged as the reports judge them: a regression,
// a changed divergence or an error; with --strict an improved or flaky one too), no further
// scenario starts. What is already running finishes and is reported; the rest is reported as not
// run, the way an interrupted run's is (run.interrupted in results.json, a line atop summary.md).
import type { Judge, JudgedTarget } from '../report/judge.ts';
import type { Verdict } from '../report/verdict.ts';
import type { ScenarioRun } from '../scenario/result.ts';

export class FailureBudget {
  private failed = 0;
  private readonly failing: ReadonlySet<Verdict>;

  constructor(
    private readonly max: number | undefined,
    private readonly judge: Judge,
    strict: boolean,
  ) {
    this.failing = new Set<Verdict>(['regression', 'changed', 'error', ...(strict ? (['improved', 'flaky'] as const) : [])]);
  }

  /** Counts a result that arrived, if it fails the run. */
  count(r: ScenarioRun, target: JudgedTarget | undefined): void {
    if (this.max !== undefined && target && this.failing.has(this.judge.judge(r, target).verdict)) this.failed++;
  }

  /** No further scenario may start. */
  get spent(): boolean {
    return this.max !== undefined && this.failed >= this.max;
  }

  /** run.interrupted's reason, once spent. */
  get reason(): string {
    return `--max-failures ${this.max}: ${this.failed} results failed`;
  }
}
