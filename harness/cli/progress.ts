import type { Progress } from '../scenario/matrix.ts';

const QUIET_LINE_MS = 30_000;

/**
 * Progress on stderr: an updating line on a terminal, otherwise a line per 10% (and per problem),
 * and at least one every half minute, so that a CI log shows a long run is alive.
 * A log file a message names is named where it will be after the run (run/execute-run.ts).
 */
export function consoleProgress(quiet: boolean): Progress {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let lastDecile = -1;
  let lastLine = started;
  const say = (s: string) => {
    if (!quiet) process.stderr.write((tty ? '\r\x1b[2K' : '') + s + '\n');
  };
  return {
    targetStarting: (id) => say(`starting ${id}...`),
    targetStarted: (t, ms) =>
      say(
        `started ${t.spec.id} in ${ms} ms (PostgreSQL ${t.postgresVersion.split(' ')[0]}${t.poolerVersion ? `, ${t.spec.pooler} ${t.poolerVersion}` : ''})`,
      ),
    targetFailed: (id, message) => say(`FAILED to start ${id}: ${message}`),
    targetDone: (id, results, ms) => say(`finished ${id}: ${results} results at ${(ms / 1000).toFixed(1)}s`),
    result(r, done, total) {
      if (quiet) return;
      if (r.outcome === 'error') say(`error: ${r.target} ${r.driver} ${r.scenario}: ${r.message ?? ''}`);
      const pct = Math.floor((done / total) * 100);
      const line = `[${String(done).padStart(String(total).length)}/${total}] ${pct}% ${((Date.now() - started) / 1000).toFixed(1)}s ${r.target} ${r.driver} ${r.scenario}`;
      if (tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
      else if (Math.floor(pct / 10) !== lastDecile || done === total || Date.now() - lastLine >= QUIET_LINE_MS) {
        lastDecile = Math.floor(pct / 10);
        lastLine = Date.now();
        process.stderr.write(line + '\n');
      }
      if (tty && done === total) process.stderr.write('\n');
    },
  };
}
