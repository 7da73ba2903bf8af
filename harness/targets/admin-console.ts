import type { AdminConsole } from '../poolers/pooler-adapter.ts';
import { WireConnection } from '../wire/connection.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from './conn-info.ts';

/** One long-lived admin connection per pooler (reconnected if it drops). */
export function adminConsole(conn: ConnInfo, database: string): AdminConsole & { close(): Promise<void> } {
  let c: WireConnection | undefined;
  return {
    async run(commands) {
      if (!c || c.isClosed) c = await WireConnection.connect({ ...conn, database, label: 'admin', transcript: new Transcript(), timeoutMs: 5000 });
      const reply = await c.exchange(commands.map((sql) => ({ type: 'Query', sql })));
      const err = reply.find((m) => m.type === 'ErrorResponse');
      if (err) throw new Error(`pooler admin command failed: ${err.fields!.message} (commands: ${commands.join('; ')})`);
    },
    async close() { await c?.close().catch(() => undefined); },
  };
}
