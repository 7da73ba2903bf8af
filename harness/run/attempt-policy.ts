// Which results the matrix runs again, judged as the reports will judge them (judge.ts):
// --repeat-each and --retries, and what counts as a finding (a divergence of something that did
// not come in time is run again at once only when it would be one, or would be an error: on
// direct, where a divergence makes the scenario invalid, a reply slow on a busy machine).
import type { Judge } from '../report/judge.ts';
import type { Verdict } from '../report/verdict.ts';
import type { MatrixPlan } from '../scenario/matrix.ts';
import type { RunPlan } from './run-plan.ts';

const FINDINGS: ReadonlySet<Verdict> = new Set(['regression', 'changed', 'unprofiled', 'error']);

export const isFinding =
  (judge: Judge): NonNullable<MatrixPlan['isFinding']> =>
  (r, target) =>
    FINDINGS.has(judge.judge(r, target).verdict);

/**
 * A retry is for a result that fails: one judged a regression, changed or error (with --strict,
 * improved too), so that a documented divergence is not run again and again.
 */
export function attemptPolicy(plan: Pick<RunPlan, 'repeatEach' | 'retries' | 'strict'>, judge: Judge): MatrixPlan['attempts'] {
  if (plan.repeatEach === 1 && plan.retries === 0) return undefined;
  const failing = new Set<Verdict>(['regression', 'changed', 'error', ...(plan.strict ? ['improved' as const] : [])]);
  return { repeatEach: plan.repeatEach, retries: plan.retries, acceptable: (r, target) => !failing.has(judge.judge(r, target).verdict) };
}
