// How a scenario run that stopped early ends: an expectation that did not hold, or what the
// server or pooler did to a client connection, is behaviour (diverge); a deadline, a server
// that died, or a fault of poolcheck's own is not (error). Decided from the error's type only.
import { ConnectionLostError, DeadlineError, errorText, InfrastructureError, InvalidScenarioError } from '../kernel/errors.ts';
import type { Outcome } from './result.ts';

/** A step's expectation did not hold: the scenario diverges there. */
export class Divergence extends Error {
  override readonly name = 'Divergence';
}

export interface Ending {
  readonly outcome: Exclude<Outcome, 'skip'>;
  readonly message: string;
}

/**
 * `err` stopped the run; `targetFailure` is why a server of the target stopped on its own, if
 * one did (then nothing the run saw afterwards says anything about the pooler).
 */
export function classify(err: unknown, targetFailure: string | undefined): Ending {
  if (err instanceof Divergence) return { outcome: 'diverge', message: err.message };
  if (targetFailure) return { outcome: 'error', message: targetFailure };
  if (err instanceof ConnectionLostError) return { outcome: 'diverge', message: err.message };
  if (err instanceof InvalidScenarioError) return { outcome: 'error', message: `invalid scenario: ${err.message}` };
  if (err instanceof DeadlineError || err instanceof InfrastructureError) return { outcome: 'error', message: err.message };
  return { outcome: 'error', message: errorText(err) };
}
