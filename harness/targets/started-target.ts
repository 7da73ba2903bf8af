import type { PoolShapes } from '../poolers/pool-shape.ts';
import type { TargetFacts } from '../poolers/profile.ts';
import type { AdminConsole, PoolKind } from '../poolers/pooler-adapter.ts';
import type { ScenarioReach } from '../poolers/scenario-reach.ts';
import type { ServerMessage } from '../wire/messages.ts';
import type { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from '../kernel/conn-info.ts';
import type { TargetSpec } from './target-spec.ts';
import type { LogTail } from './server-log.ts';

export type ProviderId = 'local' | 'docker' | 'external';

/**
 * One independent slice of a target: its own database, and the pooler's own pools over it.
 * Scenarios in different lanes share no server connection, so lanes run in parallel while
 * scenarios within a lane run one at a time.
 */
export interface Lane {
  readonly index: number;
  /** Where scenario sessions connect: through the pooler (or straight to PostgreSQL for direct). */
  readonly pools: Readonly<Record<PoolKind, ConnInfo>>;
  /** The observer's connection: straight to the lane's database, bypassing any pooler. */
  readonly direct: ConnInfo;
  /** Returns once no backend of an earlier scenario is left in this lane, so no state leaks. */
  quiesce(): Promise<void>;
  /** The scenarios' observer: the lane's control connection, lent to one scenario at a time. */
  readonly observer: LaneObserver;
  /** The admin console of the pooler process serving each pool, where poolcheck reaches one (scenarios' admin steps read it). */
  readonly consoles?: Readonly<Record<PoolKind, AdminConsole>>;
}

/**
 * The lane's one connection straight to its database (as the observer role), which also serves
 * the quiesce. A scenario's observer queries run on it, written to the scenario's transcript.
 */
export interface LaneObserver {
  /** One simple Query; its replies up to ReadyForQuery. */
  query(sql: string, transcript: Transcript, timeoutMs: number): Promise<ServerMessage[]>;
  /** The scenario is done with it: the session state it left is discarded (or the connection closed). */
  release(): Promise<void>;
}

/** A target whose servers are up. Stopping it is idempotent. */
export interface StartedTarget {
  readonly spec: TargetSpec;
  readonly provider: ProviderId;
  readonly lanes: readonly Lane[];
  readonly poolerVersion: string | null;
  readonly postgresVersion: string;
  /** What it runs, for profile conditions (target-settings.ts targetFacts): decided once, here. */
  readonly facts: TargetFacts;
  /** What each pool of a lane is (pool-shape.ts); absent for PostgreSQL itself, where every client has a backend of its own. */
  readonly shapes?: PoolShapes;
  /** PostgreSQL's log, where poolcheck can read it (local and docker; not an external server). */
  readonly postgresLog?: LogTail;
  /** How the roles and databases a scenario creates reach the server (scenario-reach.ts); absent for PostgreSQL itself, which has them. */
  readonly reach?: ScenarioReach;
  /** The client certificate (PEM) poolcheck's test CA signed for the cert role, where its PostgreSQL trusts that CA (local, docker). */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** Why a server of this target stopped on its own, if one did. */
  failure(): string | undefined;
  stop(): Promise<void>;
}

export interface Provider {
  readonly id: ProviderId;
  /**
   * The release a pooler will run, read before any target starts (so that settings can be
   * checked against it); null where it cannot be known until a target runs.
   */
  poolerVersion(id: string): Promise<string | null>;
  start(spec: TargetSpec): Promise<StartedTarget>;
}
