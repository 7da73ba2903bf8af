import { WireConnection } from '../wire/connection.ts';
import { DeadlineError } from '../wire/errors.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from './conn-info.ts';

const OTHERS = "FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()";

async function withDirect<T>(direct: ConnInfo, work: (sql: (q: string) => Promise<string | undefined>) => Promise<T>): Promise<T> {
  const c = await WireConnection.connect({ ...direct, label: 'quiesce', transcript: new Transcript(), timeoutMs: 5000 });
  try {
    return await work(async (q) => {
      const row = (await c.exchange([{ type: 'Query', sql: q }])).find((m) => m.type === 'DataRow');
      return (row?.fields?.values as string[] | undefined)?.[0];
    });
  } finally {
    await c.close();
  }
}

/** Ends every other backend of the lane's database (a pooler's idle server connections). */
export function terminateBackends(direct: ConnInfo): Promise<void> {
  return withDirect(direct, async (sql) => { await sql(`SELECT count(pg_terminate_backend(pid)) ${OTHERS}`); });
}

/** Waits until the lane's database has no client backend but the one asking (with a deadline). */
export function waitForNoClients(direct: ConnInfo, deadlineMs = 10_000): Promise<void> {
  return withDirect(direct, async (sql) => {
    const until = Date.now() + deadlineMs;
    let last: string | undefined = '?';
    while (Date.now() < until) {
      last = await sql(`SELECT count(*) ${OTHERS}`);
      if (last === '0') return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new DeadlineError(`timed out after ${deadlineMs}ms waiting for the previous scenario's backends to exit (${last} left)`);
  });
}
