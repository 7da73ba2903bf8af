// The pooler processes a target runs, whichever provider starts them: one for the whole
// target, one per lane, or one per lane and pool, as the adapter says (PoolerAdapter.instances);
// and each lane's pools put together from the processes that serve them.
import type { ConnInfo } from '../kernel/conn-info.ts';
import { POOL_KINDS, type AdminConsole, type PoolerAdapter, type PoolerLaunch, type PoolKind } from '../poolers/pooler-adapter.ts';

/** One pooler process of a target: the lanes it serves, which of their pools, and its name's suffix. */
export interface PoolerInstance {
  readonly lanes: readonly number[];
  readonly pools: readonly PoolKind[];
  /** '' for the only process, else '-lane0', '-lane0-single': for log files and container names. */
  readonly suffix: string;
}

export function poolerInstances(adapter: Pick<PoolerAdapter, 'instances'>, laneCount: number): PoolerInstance[] {
  const all = Array.from({ length: laneCount }, (_, i) => i);
  if (adapter.instances === 'one') return [{ lanes: all, pools: POOL_KINDS, suffix: '' }];
  if (adapter.instances === 'per-lane') return all.map((i) => ({ lanes: [i], pools: POOL_KINDS, suffix: `-lane${i}` }));
  return all.flatMap((i) => POOL_KINDS.map((p) => ({ lanes: [i], pools: [p], suffix: `-lane${i}-${p}` })));
}

/** A process that answers: where it listens, what it was rendered with, its admin console. */
export interface ServingInstance {
  readonly instance: PoolerInstance;
  readonly port: number;
  readonly launch: PoolerLaunch;
  readonly console: AdminConsole;
}

/** The database name a client of `pool` uses on the instance, for its `j`-th lane. */
export function poolDatabase(launch: PoolerLaunch, j: number, pool: PoolKind): string {
  const db = launch.lanes[j]?.[pool];
  if (db === undefined) throw new Error(`the pooler's config has no ${pool} pool for its lane ${j}`);
  return db;
}

/** Where a fresh client of the instance can log in, for the readiness probe and the console. */
export const firstPool = (s: Pick<ServingInstance, 'instance' | 'launch'>): string => poolDatabase(s.launch, 0, s.instance.pools[0]);

/** Lane `lane`'s pools and each pool's admin console, from the processes serving them. */
export function lanePools(
  serving: readonly ServingInstance[],
  lane: number,
  conn: (port: number, database: string) => ConnInfo,
): { pools: Record<PoolKind, ConnInfo>; consoles: Record<PoolKind, AdminConsole> } {
  const entries = POOL_KINDS.map((pool) => {
    const s = serving.find((x) => x.instance.lanes.includes(lane) && x.instance.pools.includes(pool));
    if (!s) throw new Error(`no pooler process serves lane ${lane}'s ${pool} pool`);
    return [pool, { conn: conn(s.port, poolDatabase(s.launch, s.instance.lanes.indexOf(lane), pool)), console: s.console }] as const;
  });
  return {
    pools: Object.fromEntries(entries.map(([p, x]) => [p, x.conn])) as Record<PoolKind, ConnInfo>,
    consoles: Object.fromEntries(entries.map(([p, x]) => [p, x.console])) as Record<PoolKind, AdminConsole>,
  };
}
