/** An ErrorResponse from the server, carried as an exception where a call cannot go on. */
export class ServerError extends Error {
  constructor(readonly code: string, message: string, readonly severity = 'ERROR') {
    super(message);
    this.name = 'ServerError';
  }
}

/** A wait that hit its deadline; the message names what was awaited. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
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
