import type { ConnInfo } from '../kernel/conn-info.ts';
import { errorText } from '../kernel/errors.ts';
import { poll } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { WireConnection } from '../wire/connection.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ManagedProcess } from './processes.ts';

/**
 * Ready means a real client connection (startup, authentication, ReadyForQuery) succeeds,
 * and a query answers. Polls until the deadline; stops early if the server process died.
 */
export async function waitUntilReady(what: string, conn: ConnInfo, procs: ReadonlyArray<Pick<ManagedProcess, 'exitReason'>>, deadlineMs: number = TIMEOUT_MS.localReady): Promise<void> {
  let last = 'no attempt yet';
  await poll({
    what: `${what} to accept a connection to ${conn.host}:${conn.port}`, timeoutMs: deadlineMs, maxIntervalMs: 50,
    seen: () => last,
    abort: () => { const dead = procs.find((p) => p.exitReason())?.exitReason(); return dead && `${what} did not start: ${dead}`; },
  }, async () => {
    try {
      const c = await WireConnection.connect({ ...conn, label: 'ready', transcript: Transcript.none(), timeoutMs: TIMEOUT_MS.readyProbe });
      await c.exchange([{ type: 'Query', sql: 'SELECT 1' }]);
      await c.close();
      return true;
    } catch (err) {
      last = errorText(err);
      return undefined;
    }
  });
}
