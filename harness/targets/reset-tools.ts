// The tools a pooler adapter's reset between scenarios gets (pooler-adapter.ts ResetTools).
import type { ConnInfo } from '../kernel/conn-info.ts';
import { ConnectionLostError } from '../kernel/errors.ts';
import type { AdminConsole, PoolKind, ResetTools } from '../poolers/pooler-adapter.ts';
import { ControlConnection } from './control-connection.ts';
import { MD5_USER, TRUST_USER } from './postgres-cluster.ts';

/** `database`: the lane's database on the server (the observer's), behind both pools. */
export function resetTools(
  consoles: Readonly<Record<PoolKind, AdminConsole>>,
  pools: Readonly<Record<PoolKind, ConnInfo>>,
  database: string,
  terminateBackends: () => Promise<void>,
): ResetTools {
  return {
    consoles,
    terminateBackends,
    database,
    pools: { single: pools.single.database, wide: pools.wide.database },
    roles: [...new Set([pools.single.user, pools.wide.user, MD5_USER, TRUST_USER])],
    async asClient(pool, sqls, user) {
      const c = new ControlConnection({ ...pools[pool], user: user ?? pools[pool].user }, `reset client of the ${pool} pool`);
      try {
        await c.exchange(sqls);
        return 'answered';
      } catch (err) {
        if (err instanceof ConnectionLostError) return 'closed';
        throw err;
      } finally {
        await c.close();
      }
    },
  };
}
