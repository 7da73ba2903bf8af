// The lanes of a started target, whichever provider started it: each lane's pools, its observer
// connection, and the quiesce between two scenarios (lane-control.ts), so that runs differ only
// in where servers run.
import type { AdminConsole, PoolerAdapter, PoolKind } from '../poolers/pooler-adapter.ts';
import type { ConnInfo } from '../kernel/conn-info.ts';
import { laneControl } from './lane-control.ts';
import { resetTools } from './reset-tools.ts';
import type { Lane } from './started-target.ts';

export interface LaneSpec {
  readonly index: number;
  /** The observer's connection to the lane's database. */
  readonly direct: ConnInfo;
  readonly pools: Readonly<Record<PoolKind, ConnInfo>>;
  /** The admin console of the pooler process serving each pool, where poolcheck reaches one. */
  readonly consoles?: Readonly<Record<PoolKind, AdminConsole>>;
}

/** How a lane's quiesce gets rid of the previous scenario's server connections. */
export type LaneReset =
  /** PostgreSQL itself: nothing but the scenario's own sessions, which are ended. */
  | { readonly kind: 'none' }
  /** PostgreSQL shared with a pooler poolcheck did not start: its server connections are spared. */
  | { readonly kind: 'spare-older' }
  /** A pooler poolcheck cannot see into: its clients end its servers from inside (lane-control.ts). */
  | { readonly kind: 'sweep' }
  /** The adapter's own reset through the pooler's admin consoles (each lane's `consoles`). */
  | { readonly kind: 'pooler'; readonly adapter: PoolerAdapter };

/** `stops` gets the closing of each lane's control connection, for the target's stop. */
export function buildLanes(specs: readonly LaneSpec[], reset: LaneReset, stops: Array<() => Promise<void>>): Lane[] {
  return specs.map((lane) => {
    const { consoles } = lane;
    if (reset.kind === 'pooler' && !consoles) throw new Error(`lane ${lane.index}: a pooler's reset needs its admin console`);
    const how =
      reset.kind === 'pooler' && consoles
        ? {
            kind: 'reset' as const,
            run: (terminate: () => Promise<void>) => reset.adapter.resetServers(resetTools(consoles, lane.pools, lane.direct.database, terminate)),
          }
        : reset.kind === 'sweep'
          ? { kind: 'sweep' as const, pools: lane.pools }
          : reset.kind === 'spare-older'
            ? reset
            : undefined;
    return { ...lane, ...laneControl(lane.direct, stops, how) };
  });
}
