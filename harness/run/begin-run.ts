// How a run begins in this process, poolcheck run's and fuzz's alike: the servers a killed
// earlier run left are stopped, this run's state folder is made, and the run's hook is
// registered for a signal (or a closed output) that interrupts it, to keep what it found.
import { onInterrupt, reapLeftovers, runStateDir } from '../targets/processes.ts';

/** Returns the unhook: once the run has kept what it found, an interruption has nothing more to save. */
export function beginRun(runId: string, note: (line: string) => void, interrupted: (reason: string) => void): () => void {
  const reaped = reapLeftovers();
  if (reaped) note(`stopped ${reaped} server process(es) left by an earlier run that was killed`);
  runStateDir(runId);
  return onInterrupt(interrupted);
}
