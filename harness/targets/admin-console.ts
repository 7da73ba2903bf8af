import type { AdminConsole } from '../poolers/pooler-adapter.ts';
import { WireConnection } from '../wire/connection.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from './conn-info.ts';

/** One long-lived admin connection per pooler (reconnected if it drops). */
export function adminConsole(conn: ConnInfo, database: string): AdminConsole & { close(): Promise<void> } {
  let c: WireConnection | undefined;
  return {
    async query(command) {
      if (!c || c.isClosed) c = await WireConnection.connect({ ...conn, database, label: 'admin', transcript: new Transcript(), timeoutMs: 5000 });
      const reply = await c.exchange([{ type: 'Query', sql: command }]);
      const err = reply.find((m) => m.type === 'ErrorResponse');
      if (err) throw new Error(`pooler admin command "${command}" failed: ${err.fields!.message}`);
      const columns = (reply.find((m) => m.type === 'RowDescription')?.fields?.columns ?? []) as string[];
      return reply.filter((m) => m.type === 'DataRow').map((m) => {
        const values = m.fields!.values as (string | null)[];
        return Object.fromEntries(columns.map((name, i) => [name, values[i]]));
      });
    },
    async close() { await c?.close().catch(() => undefined); },
  };
}
