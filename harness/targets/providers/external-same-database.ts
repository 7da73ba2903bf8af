// --external-single is a second route through the pooler to the database --external-pooled
// reaches, with one server connection: scenarios open sessions on both and the quiesce between
// them ends what either route left. Pointed at another database or role, every scenario that
// uses both routes fails slowly in the quiesce (issue 22: 406 s, 40 of 48 results `error`)
// without saying why. So before anything runs, one login through each route asks the server
// where it landed, and a difference is one line naming both URLs.
import type { ConnInfo } from '../../kernel/conn-info.ts';
import { ControlConnection } from '../control-connection.ts';
import { ExternalUsageError, shownUrl } from './external-url.ts';

/** Where a login landed, as the server says (a pooler's alias for a database shows as the real one). */
export interface Landing {
  readonly database: string;
  readonly role: string;
  /**
   * pg_control_system()'s system_identifier: which PostgreSQL cluster it is, for two databases
   * of one name on two servers. Null where the role may not read it (a grant, not a mistake).
   */
  readonly system: string | null;
}

export interface Route {
  /** The option that names it, e.g. external-single. */
  readonly flag: string;
  readonly conn: ConnInfo;
}

/** One login, two questions; the identifier's query fails alone where it is not granted. */
export async function landing(conn: ConnInfo): Promise<Landing> {
  const c = new ControlConnection(conn, 'route check');
  try {
    const [row] = await c.rows('SELECT current_database() AS database, current_user AS role');
    let system: string | null = null;
    try {
      system = (await c.value('SELECT system_identifier::text FROM pg_control_system()')) ?? null;
    } catch {
      system = null;
    }
    return { database: row?.database ?? '', role: row?.role ?? '', system };
  } finally {
    await c.close();
  }
}

/** What differs between two landings, in words; empty when they are the same place. */
export function differences(a: Landing, b: Landing): string[] {
  return [
    ...(a.database !== b.database ? [`database ${a.database} against ${b.database}`] : []),
    ...(a.role !== b.role ? [`role ${a.role} against ${b.role}`] : []),
    ...(a.system !== null && b.system !== null && a.system !== b.system ? [`server (system identifier) ${a.system} against ${b.system}`] : []),
  ];
}

/** Each lane's single route against its pooled route; the first that differs stops the run in one line. */
export async function checkSameDatabase(lanes: ReadonlyArray<{ readonly single: Route; readonly pooled: Route }>): Promise<void> {
  for (const { single, pooled } of lanes) {
    const [s, p] = [await landing(single.conn), await landing(pooled.conn)];
    const diff = differences(s, p);
    if (diff.length) {
      throw new ExternalUsageError(
        `--${single.flag} ${shownUrl(single.conn)} does not reach what --${pooled.flag} ${shownUrl(pooled.conn)} reaches: ${diff.join(', ')}; both must lead to the same database as the same role`,
      );
    }
  }
}
