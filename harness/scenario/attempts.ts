// A result run more than once (--repeat-each, --retries) is one result: its attempts agree, or it
// is flaky. Attempts agree when they end the same way at the same place: the same outcome and,
// for a divergence, the same step, session, kind and SQLSTATE. The words of a message are left
// out: they may carry a backend pid or a per-run object name.
import type { Attempt, ScenarioRun } from './result.ts';

export interface AttemptPolicy {
  /** Attempts every result gets (1: once). */
  readonly repeatEach: number;
  /** Further attempts while the last one is not acceptable. */
  readonly retries: number;
}

const signature = (a: Attempt): string =>
  a.divergence ? `${a.outcome} ${a.divergence.step} ${a.divergence.session} ${a.divergence.kind} ${a.divergence.sqlstate ?? ''}` : a.outcome;

/** The attempts ended in more than one way. */
export function attemptsDisagree(attempts: readonly Attempt[] | undefined): boolean {
  return !!attempts && new Set(attempts.map(signature)).size > 1;
}

/**
 * One result from its attempts. When they disagree the result shows the first that did not pass
 * (the transcript a reader needs), and keeps them all; its time is the time all of them took.
 */
export function combineAttempts(runs: readonly ScenarioRun[]): ScenarioRun {
  if (runs.length === 1) return runs[0];
  const attempts = runs.map((r): Attempt => ({
    outcome: r.outcome,
    durationMs: r.durationMs,
    ...(r.cause ? { cause: r.cause } : {}),
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.divergence ? { divergence: r.divergence } : {}),
  }));
  const shown = (attemptsDisagree(attempts) ? runs.find((r) => r.outcome !== 'pass') : undefined) ?? runs[0];
  return { ...shown, durationMs: runs.reduce((t, r) => t + r.durationMs, 0), attempts };
}

/**
 * Runs `attempt` as the policy says: `repeatEach` times, then again while the last attempt is
 * not `acceptable`, at most `retries` more times.
 */
export async function runAttempts(
  policy: AttemptPolicy,
  attempt: () => Promise<ScenarioRun>,
  acceptable: (r: ScenarioRun) => boolean,
): Promise<ScenarioRun> {
  const runs: ScenarioRun[] = [];
  for (let i = 0; i < policy.repeatEach; i++) runs.push(await attempt());
  for (let i = 0; i < policy.retries && !acceptable(runs[runs.length - 1]); i++) runs.push(await attempt());
  return combineAttempts(runs);
}
