// The lanes of a started target, however its servers were started: each lane's pools, its
// observer connection, and the quiesce between two scenarios. The same for every provider so
// that a docker or external run differs from a local one only in where the servers run.
import type { AdminConsole, PoolerAdapter, PoolKind } from '../poolers/pooler-adapter.ts';
import type { ConnInfo } from './conn-info.ts';
import { terminateBackends, waitForNoClients } from './quiesce.ts';
import type { Lane } from './started-target.ts';

/** PostgreSQL itself: both pools are the lane's database. */
export function directLanes(direct: readonly ConnInfo[]): Lane[] {
  return direct.map((conn, index) => ({ index, direct: conn, pools: { single: conn, wide: conn }, quiesce: () => waitForNoClients(conn) }));
}

export interface PooledLaneSpec {
  readonly direct: ConnInfo;
  readonly pools: Readonly<Record<PoolKind, ConnInfo>>;
}

/**
 * Lanes through a pooler. With its admin console, the quiesce is the adapter's own (the pooler
 * confirms it holds no server connection of the lane); without one (a foreign pooler), ending
 * the lane's backends is all that can be done, and the pooler notices on its next use of them.
 */
export function pooledLanes(adapter: PoolerAdapter | undefined, admin: AdminConsole | undefined, lanes: readonly PooledLaneSpec[]): Lane[] {
  return lanes.map((lane, index) => ({
    index,
    direct: lane.direct,
    pools: lane.pools,
    quiesce: async () => {
      const names: Record<PoolKind, string> = { single: lane.pools.single.database, wide: lane.pools.wide.database };
      if (adapter && admin) await adapter.resetServers(admin, names, () => terminateBackends(lane.direct));
      else await terminateBackends(lane.direct);
      await waitForNoClients(lane.direct);
    },
  }));
}
