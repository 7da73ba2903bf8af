// One rule for every result whose failure depends on timing: something that did not come in
// time (an answer, a notification, the state the observer waited for), a statement cancelled by
// a timeout (57014) where PostgreSQL had none, a stall, a driver or its helper that gave up, or
// a fault around the servers. Such a result is run again at once before it becomes a verdict. A
// pooler that hangs, forgets or times out does so again, and the first result stands; a pooler
// or a machine that only stalled for a moment (stopped, starved of CPU on a busy host) does not,
// and the run again is the result: a stall never becomes a finding, nor an error, while the
// scenario passes when run again.
import type { DivergenceKind } from '../kernel/divergence.ts';
import type { Judged } from './infrastructure.ts';
import type { ErrorCause, ScenarioRun } from './result.ts';

/**
 * Which errors timing may explain: not a scenario that cannot run as written; nor a missing
 * baseline, which the reports decide from the direct result once it is in (report/verdict.ts).
 */
const RUN_AGAIN: Readonly<Record<ErrorCause, boolean>> = {
  'invalid-scenario': false,
  infrastructure: true,
  stall: true,
  'no-baseline': false,
  driver: true,
  'postgres-crash': false,
};

const WAITED_OUT: ReadonlySet<DivergenceKind> = new Set(['no-answer', 'notification', 'ground-truth']);

/** 57014 query_canceled: what a statement or lock timeout gives when the machine is slow. */
const CANCELED = '57014';

/**
 * Whether `r` failed in a way timing may explain. `finding` says whether a divergence would be a
 * finding against the profile: documented divergences are not run again.
 */
export function timingDependent(r: ScenarioRun, finding: boolean): boolean {
  if (r.outcome === 'error') return r.cause === undefined || RUN_AGAIN[r.cause];
  if (r.outcome !== 'diverge' || !r.divergence || !finding) return false;
  return WAITED_OUT.has(r.divergence.kind) || r.divergence.sqlstate === CANCELED;
}

/**
 * The result of a timing-dependent failure run again at once: `again`, unless it failed the same
 * way (`repeats`: its outcome, and for a divergence its kind and step), when the first stands.
 * The result that stands says in its transcript that it is a second run, and why.
 */
export function afterRunAgain(first: ScenarioRun, again: ScenarioRun): ScenarioRun {
  const repeats =
    again.outcome === first.outcome && again.divergence?.kind === first.divergence?.kind && again.divergence?.step === first.divergence?.step;
  // An error run again that errs another way says how: the first stands, but the cause may be the second's.
  if (repeats && first.outcome === 'error' && again.message !== first.message && first.transcript !== undefined)
    return {
      ...first,
      transcript: `-- run again at once, it was an error too: ${again.message ?? 'no message'}; the first run stands\n${first.transcript}`,
    };
  // Said in the transcript, so that whoever reads a hang knows it was not a moment's stall.
  if (repeats)
    return first.transcript === undefined
      ? first
      : { ...first, transcript: `-- run again at once, it failed the same way${stepOf(first)}; the first run stands\n${first.transcript}` };
  return asSecondRun(
    first,
    again,
    `run again at once: the first run ${first.outcome === 'error' ? `was an error (${first.message ?? 'no message'})` : `did not come in time (${first.message ?? 'no message'})`}, which timing may explain`,
  );
}

const stepOf = (r: ScenarioRun) => (r.divergence?.step === undefined ? '' : ` (${r.divergence.kind} at step ${r.divergence.step})`);

/** `again` as the result that stands: its transcript says why it is a second run, its duration is both runs'. */
export function asSecondRun(first: ScenarioRun, again: ScenarioRun, why: string): ScenarioRun {
  const note = `-- ${why}; this is the second run\n`;
  return {
    ...again,
    durationMs: first.durationMs + again.durationMs,
    ...(again.transcript !== undefined ? { transcript: note + again.transcript } : {}),
  };
}

/**
 * The result that stands once a timing-dependent failure ran again: a login the pooler does not
 * answer twice over, else as afterRunAgain says. A stall (cause `stall`) that errs again stands
 * as the stall it was.
 */
export function afterJudgedRunAgain(first: Judged, again: Judged): ScenarioRun {
  return loginUnansweredTwice(first, again) ?? afterRunAgain(first.run, again.run);
}

/**
 * A login that got no answer while a fresh one did is a stall, run again (infrastructure.ts);
 * when the run again meets it once more, at the same step, that login is one the pooler does
 * not answer (a message it chokes on), whatever fresh logins get: the divergence stands.
 */
export function loginUnansweredTwice(first: Judged, again: Judged): ScenarioRun | undefined {
  const [a, b] = [first.unansweredLogin, again.unansweredLogin];
  if (!a || !b || a.divergence?.step !== b.divergence?.step) return undefined;
  return asSecondRun(
    a,
    b,
    `run again at once: a login got no answer while a fresh login right after got in, and again at step ${b.divergence?.step ?? '?'} of the run again; the pooler does not answer this login`,
  );
}
