// How a scenario run that stopped early ends, decided from the error's type only: a step that
// differed from PostgreSQL (an expectation that did not hold, the connection closed on the
// client, no answer within the deadline) diverges; a server of the target that stopped on its
// own, poolcheck's own trouble or an invalid scenario is an error.
import type { Divergence, DivergenceKind } from '../kernel/divergence.ts';
import {
  ConnectionLostError,
  DeadlineError,
  errorText,
  InfrastructureError,
  InvalidScenarioError,
  ProtocolViolationError,
} from '../kernel/errors.ts';
import type { ErrorCause, Outcome } from './result.ts';

/** An expectation that did not hold, as a step's action found it; the runner adds where. */
export class Mismatched extends Error {
  override readonly name = 'Mismatched';
  constructor(
    readonly kind: DivergenceKind,
    message: string,
    readonly sqlstate?: string,
    readonly atLogin?: true,
  ) {
    super(message);
  }
}

/** The scenario diverged at a step: where and how. */
export class Diverged extends Error {
  override readonly name = 'Diverged';
  constructor(
    readonly divergence: Divergence,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a failure at a step says about the pooler, if anything: a lost connection and a missed
 * deadline are its behaviour at that step (PostgreSQL answered there, or the run is an invalid
 * scenario on direct); anything else is not a divergence.
 */
export function asMismatch(err: unknown): Mismatched | undefined {
  if (err instanceof Mismatched) return err;
  if (err instanceof ConnectionLostError) return new Mismatched('closed', err.message, err.sqlstate);
  if (err instanceof DeadlineError) return new Mismatched('no-answer', err.message);
  if (err instanceof ProtocolViolationError) return new Mismatched('messages', err.message);
  return undefined;
}

export interface Ending {
  readonly outcome: Exclude<Outcome, 'skip'>;
  readonly message: string;
  readonly cause?: ErrorCause;
  readonly divergence?: Divergence;
}

/**
 * `err` stopped the run; `targetFailure` is why a server of the target stopped on its own, if
 * one did: then nothing the run saw says anything about the pooler.
 */
export function classify(err: unknown, targetFailure: string | undefined): Ending {
  if (targetFailure) return { outcome: 'error', cause: 'infrastructure', message: targetFailure };
  if (err instanceof Diverged) return { outcome: 'diverge', message: err.message, divergence: err.divergence };
  if (err instanceof InvalidScenarioError) return { outcome: 'error', cause: 'invalid-scenario', message: `invalid scenario: ${err.message}` };
  if (err instanceof InfrastructureError) return { outcome: 'error', cause: 'infrastructure', message: err.message };
  // Anything else came from a driver (its library, its helper process) or from poolcheck itself.
  return { outcome: 'error', cause: 'driver', message: errorText(err) };
}
