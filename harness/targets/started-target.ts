import type { PoolKind } from '../poolers/pooler-adapter.ts';
import type { ConnInfo } from './conn-info.ts';
import type { TargetSpec } from './target-spec.ts';

export type ProviderId = 'local';

/** A target whose servers are up. Stopping it is idempotent. */
export interface StartedTarget {
  readonly spec: TargetSpec;
  readonly provider: ProviderId;
  /** Where scenario sessions connect: through the pooler (or straight to PostgreSQL for direct). */
  readonly pools: Readonly<Record<PoolKind, ConnInfo>>;
  /** The observer's connection: straight to the database, bypassing any pooler. */
  readonly direct: ConnInfo;
  readonly poolerVersion: string | null;
  readonly postgresVersion: string;
  /** Returns once no backend from an earlier scenario is left (state cannot leak between scenarios). */
  quiesce(): Promise<void>;
  /** Why a server of this target stopped on its own, if one did. */
  failure(): string | undefined;
  stop(): Promise<void>;
}

export interface Provider {
  readonly id: ProviderId;
  start(spec: TargetSpec): Promise<StartedTarget>;
}
