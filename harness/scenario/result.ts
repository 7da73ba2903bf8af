// What running one scenario on one target with one driver produced: the runner's output, which
// report/ holds against profiles and writes.
import type { Divergence } from '../kernel/divergence.ts';
import type { Premise } from './premise.ts';

/**
 * crash: a PostgreSQL backend serving the scenario died of a signal (the server log says so):
 * on direct a finding about PostgreSQL; through a pooler judged as a divergence of kind crash
 * where direct did not crash (report/verdict.ts applyBaseline).
 */
export const OUTCOMES = ['pass', 'diverge', 'crash', 'skip', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Why a result could not be decided (outcome `error`): the scenario as written cannot run; the
 * servers or poolcheck's own connections failed under it; a login got no answer while a fresh
 * one right after did (a stall: the timing rule runs it again, and it stands only where the run
 * again errs too); PostgreSQL itself gave no baseline (an error on direct); a driver or its
 * helper failed; PostgreSQL's backend crashed on direct with this scenario and driver, so a
 * pooler's result of it has no baseline (report/verdict.ts applyBaseline).
 */
export const ERROR_CAUSES = ['invalid-scenario', 'infrastructure', 'stall', 'no-baseline', 'driver', 'postgres-crash'] as const;
export type ErrorCause = (typeof ERROR_CAUSES)[number];

/** One step as it ran: what was asked, what came back, and what was expected if it differed. */
export interface StepRecord {
  readonly index: number;
  readonly session: string;
  readonly action: string;
  readonly observed?: string;
  readonly failure?: string;
}

/** One scenario on one target with one driver. */
export interface ScenarioRun {
  readonly scenario: string;
  readonly category: string;
  readonly target: string;
  readonly driver: string;
  readonly outcome: Outcome;
  readonly message?: string;
  /** Why it is an error, when it is one. */
  readonly cause?: ErrorCause;
  readonly durationMs: number;
  readonly steps: readonly StepRecord[];
  /** PostgreSQL's log lines about a crash (outcome crash). */
  readonly serverLog?: readonly string[];
  /** Index of the step that diverged or failed. */
  readonly failedStep?: number;
  /** What exactly differed, when the outcome is diverge. */
  readonly divergence?: Divergence;
  readonly transcript?: string;
  /** Every attempt, when it ran more than once (--repeat-each, --retries); the fields above are one of them. */
  readonly attempts?: readonly Attempt[];
  /** Where the time around and inside it went (npm run bench reads them). */
  readonly timings?: Timings;
  /**
   * Whether the clients that were to land on an earlier client's server connection did
   * (premise.ts); absent where the scenario has no such client, or on PostgreSQL itself.
   */
  readonly premise?: Premise;
}

/** Milliseconds: the quiesce before it and the infrastructure check after it (outside durationMs), its logins (inside). */
export interface Timings {
  readonly quiesceMs: number;
  readonly connectMs: number;
  readonly checkMs: number;
  /**
   * Each login that gave a usable session (connect, TLS where used, authenticate, the first
   * ReadyForQuery), in ms to 0.1, in the order they began: what login latency is measured over.
   */
  readonly logins?: readonly number[];
}

/** One attempt of a result that ran more than once: enough to tell whether attempts agree. */
export interface Attempt {
  readonly outcome: Outcome;
  readonly cause?: ErrorCause;
  readonly durationMs: number;
  readonly message?: string;
  readonly divergence?: Divergence;
}
