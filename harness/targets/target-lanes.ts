// The lanes of a started target that the docker and external providers build: each lane's
// pools, its observer connection, and the quiesce between two scenarios (lane-control.ts, as the
// local provider does), so that these runs differ from a local one only in where servers run.
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
}

/** How a lane's quiesce gets rid of the previous scenario's server connections. */
export type LaneReset =
  /** PostgreSQL itself: nothing but the scenario's own sessions, which are ended. */
  | { readonly kind: 'none' }
  /** PostgreSQL shared with a pooler poolcheck did not start: its server connections are spared. */
  | { readonly kind: 'spare-older' }
  /** A pooler poolcheck cannot see into: its clients end its servers from inside (lane-control.ts). */
  | { readonly kind: 'sweep' }
  /** The adapter's own reset through the pooler's admin console, as for a local pooler. */
  | { readonly kind: 'pooler'; readonly adapter: PoolerAdapter; readonly admin: AdminConsole };

/** `stops` gets the closing of each lane's control connection, for the target's stop. */
export function buildLanes(specs: readonly LaneSpec[], reset: LaneReset, stops: Array<() => Promise<void>>): Lane[] {
  return specs.map((lane) => {
    const how = reset.kind === 'pooler' ? { kind: 'reset' as const, run: (terminate: () => Promise<void>) => reset.adapter.resetServers(resetTools(reset.admin, lane.pools, terminate)) }
      : reset.kind === 'sweep' ? { kind: 'sweep' as const, pools: lane.pools }
        : reset.kind === 'spare-older' ? reset : undefined;
    return { ...lane, ...laneControl(lane.direct, stops, how), ...(reset.kind === 'pooler' ? { admin: reset.admin } : {}) };
  });
}
