import { WireConnection } from '../wire/connection.ts';
import { DeadlineError } from '../wire/errors.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from './conn-info.ts';

/** Waits until the database has no client backend but the one asking (with a deadline). */
export async function waitForNoClients(direct: ConnInfo, deadlineMs = 10_000): Promise<void> {
  const c = await WireConnection.connect({ ...direct, label: 'quiesce', transcript: new Transcript(), timeoutMs: 5000 });
  try {
    const until = Date.now() + deadlineMs;
    let last = '?';
    while (Date.now() < until) {
      const reply = await c.exchange([{ type: 'Query', sql: "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" }]);
      const row = reply.find((m) => m.type === 'DataRow');
      last = String((row?.fields?.values as string[] | undefined)?.[0]);
      if (last === '0') return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new DeadlineError(`timed out after ${deadlineMs}ms waiting for the previous scenario's backends to exit (${last} left)`);
  } finally {
    await c.close();
  }
}
