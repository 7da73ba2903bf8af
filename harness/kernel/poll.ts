// The one way poolcheck waits for a condition: poll it, backing off, until a deadline, then
// fail with what it waited for (and what it last saw). In the spirit of testcontainers'
// IntervalRetry.
import { DeadlineError, InfrastructureError } from './errors.ts';

export interface PollOptions {
  /** What is awaited: the error reads "timed out after <ms>ms waiting for <what>". */
  readonly what: string;
  readonly timeoutMs: number;
  /** What was last seen, added to the error ("..., last saw 3 left"). */
  readonly seen?: () => string | undefined;
  /** A reason to give up at once (a server that exited), checked before every attempt. */
  readonly abort?: () => string | undefined;
  /** The longest pause between attempts (default 20 ms). */
  readonly maxIntervalMs?: number;
}

/**
 * The pause before attempt `n + 1`: short at first (a closed session's backend exits in a few
 * ms), then at most `max`, so a long wait does not spend the machine on polling.
 */
export const pause = (n: number, max = 20): Promise<void> => new Promise((r) => setTimeout(r, Math.min(max, 2 << Math.min(n, 10))));

/** Calls `probe` until it returns something other than undefined, and returns that. */
export async function poll<T>(opts: PollOptions, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const until = Date.now() + opts.timeoutMs;
  for (let n = 0; ; n++) {
    const stop = opts.abort?.();
    if (stop) throw new InfrastructureError(stop);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= until) {
      const seen = opts.seen?.();
      throw new DeadlineError(`timed out after ${opts.timeoutMs}ms waiting for ${opts.what}${seen ? `, last saw ${seen}` : ''}`);
    }
    await pause(n, opts.maxIntervalMs);
  }
}

/** Runs `work` with a deadline; on expiry rejects with "timed out after Nms waiting for <what>". */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new DeadlineError(`timed out after ${ms}ms waiting for ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `work` settles within `ms`; it goes on either way. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([
      settled,
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
