import type { ConnInfo } from '../kernel/conn-info.ts';
import type { AdminConsole } from '../poolers/pooler-adapter.ts';
import { ControlConnection } from './control-connection.ts';

/** One long-lived admin connection per pooler, through its own listener. */
export function adminConsole(conn: ConnInfo, database: string): AdminConsole & { close(): Promise<void> } {
  const c = new ControlConnection({ ...conn, database }, 'admin console');
  return { query: (command) => c.rows(command), close: () => c.close() };
}
