import { WireConnection } from '../wire/connection.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from './conn-info.ts';
import type { ManagedProcess } from './processes.ts';

/**
 * Ready means a real client connection (startup, authentication, ReadyForQuery) succeeds,
 * and a query answers. Polls until the deadline; stops early if the server process died.
 */
export async function waitUntilReady(what: string, conn: ConnInfo, procs: ReadonlyArray<Pick<ManagedProcess, 'exitReason'>>, deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = 'no attempt yet';
  while (Date.now() < until) {
    const dead = procs.find((p) => p.exitReason());
    if (dead) throw new Error(`${what} did not start: ${dead.exitReason()}`);
    try {
      const c = await WireConnection.connect({ ...conn, label: 'ready', transcript: new Transcript(), timeoutMs: 2000 });
      await c.exchange([{ type: 'Query', sql: 'SELECT 1' }]);
      await c.close();
      return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not ready after ${deadlineMs}ms (a connection to ${conn.host}:${conn.port} kept failing: ${last})`);
}
