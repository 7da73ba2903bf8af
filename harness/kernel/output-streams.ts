// poolcheck's own stdout and stderr, which a reader may close under it (`poolcheck run 2>&1 |
// head -1`). Node ignores SIGPIPE, so a write to a closed pipe fails with EPIPE, reported as an
// 'error' event on the stream. Without a listener that event is an uncaught exception, and
// reporting it is one more write to the closed stream: an endless loop of errors that starves the
// event loop (no server ever starts, no signal handler ever runs) and grows the process without
// bound. Here every write error is heard once per stream: the stream is marked closed, and a later
// write to it does nothing (Node drops a write to a destroyed stream without another event).

export type OutputName = 'stdout' | 'stderr';

export interface ClosedOutput {
  readonly stream: OutputName;
  /** The errno code (EPIPE for a reader gone; ENOSPC, EIO for a file or terminal that failed). */
  readonly code: string;
  readonly message: string;
}

const closed = new Map<OutputName, ClosedOutput>();
const hooks = new Set<(c: ClosedOutput) => void>();
let watching = false;

/** Listens for write errors on stdout and stderr, once per process. */
export function watchOutputStreams(): void {
  if (watching) return;
  watching = true;
  for (const [name, stream] of [
    ['stdout', process.stdout],
    ['stderr', process.stderr],
  ] as const) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (closed.has(name)) return;
      const c: ClosedOutput = { stream: name, code: e.code ?? 'EIO', message: e.message };
      closed.set(name, c);
      // A reader gone is no error to speak of; anything else is said where it can still be read.
      if (c.code !== 'EPIPE' && name === 'stdout' && !closed.has('stderr')) process.stderr.write(`poolcheck: cannot write to stdout: ${c.message}\n`);
      for (const hook of [...hooks]) hook(c);
    });
  }
}

/** Calls `hook` when an output stream closes (at once if one already has); returns the unhook. */
export function onOutputClosed(hook: (c: ClosedOutput) => void): () => void {
  hooks.add(hook);
  const already = [...closed.values()][0];
  if (already) hook(already);
  return () => {
    hooks.delete(hook);
  };
}
