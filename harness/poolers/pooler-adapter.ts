import type { ConnInfo } from '../kernel/conn-info.ts';
import type { PoolShapes } from './pool-shape.ts';
import type { ConfigSyntax } from './config-syntax.ts';
import type { Profile } from './profile.ts';
import type { ScenarioReach } from './scenario-reach.ts';
import type { SettingSpecs } from './settings.ts';

/**
 * The two pools every lane has over its database: `single`, one server connection that the
 * scenario's clients take in turn (the next client lands on the server the last one released),
 * and `wide`, for clients that must run at once. pool-shape.ts says what each is per pooler.
 */
export const POOL_KINDS = ['single', 'wide'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

/** What the local provider needs to run one pooler in one mode in front of one database. */
export interface PoolerLaunch {
  /** File name -> contents, written into the target's folder. */
  readonly files: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  /** Per lane, the database name a client uses for each pool the instance serves. */
  readonly lanes: ReadonlyArray<Readonly<Partial<Record<PoolKind, string>>>>;
  /** Database name of the pooler's admin console. */
  readonly adminDatabase: string;
}

/** A pooler's administration interface, reached through its own listener. */
export interface AdminConsole {
  /** Runs one command (simple Query) and returns its rows as objects keyed by column name. */
  query(command: string): Promise<Array<Record<string, string | null>>>;
}

/** What an adapter's reset between two scenarios can use. */
export interface ResetTools {
  /** The admin console of the pooler process serving each pool (one process may serve both). */
  readonly consoles: Readonly<Record<PoolKind, AdminConsole>>;
  /** The database name clients use for each of the lane's pools. */
  readonly pools: Readonly<Record<PoolKind, string>>;
  /** The lane's database on the server, which both pools' server connections are logged in to. */
  readonly database: string;
  /**
   * The roles the lane's pools are rendered for (the app role, the md5 and trust roles): the
   * reset empties their server connections. Servers of a scenario's own roles and databases are
   * the scenario's teardown to end; their names never come back, so no client meets them again.
   */
  readonly roles: readonly string[];
  /** Ends every backend of the lane's database but poolcheck's own. */
  readonly terminateBackends: () => Promise<void>;
  /**
   * Runs simple queries as a client of one of the lane's pools, through the pooler (as the
   * scenarios' role, or as `user`, one of the roles render() was given); says whether they
   * were answered or the server closed the connection.
   */
  readonly asClient: (pool: PoolKind, sqls: readonly string[], user?: string) => Promise<'answered' | 'closed'>;
}

export interface RenderOptions {
  readonly mode: string;
  readonly port: number;
  /** The database server, as the app role (whose password the pooler may need). */
  readonly backend: ConnInfo;
  /** The backend role's SCRAM secret as PostgreSQL stores it (postgres-cluster.ts AppCredentials). */
  readonly backendSecret: string;
  /** The target's private folder (config files with secrets go here, never in the report). */
  readonly dir: string;
  readonly laneDatabases: readonly string[];
  /** The pools this process serves (both, unless the adapter runs one process per pool). */
  readonly pools: readonly PoolKind[];
  /** Roles for authentication scenarios: one with an md5-stored password, one let in by trust. */
  readonly authRoles: { readonly md5: string; readonly trust: string };
  /**
   * A superuser (poolcheck's observer role, its password stored as md5) the pooler may log in as
   * to look up the secret of a role its config does not name: how the roles a scenario creates
   * become known to it (scenario-reach.ts).
   */
  readonly lookup: { readonly user: string; readonly password: string };
  /** Certificate and key for TLS between client and pooler. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** The settings the target names (checked against `settings` before anything starts). */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * Every setting the adapter knows, as the release that will run has it for this target: the
   * target's facts (targets/target-settings.ts targetEffectiveSettings), for a config that
   * writes each one out.
   */
  readonly effectiveSettings: Readonly<Record<string, string>>;
  /** The release that will run, where known before it starts (a config line only some releases read). */
  readonly version?: string | null;
}

export interface PoolerAdapter {
  readonly id: string;
  readonly title: string;
  readonly modes: readonly string[];
  /**
   * The modes a run includes when it is not given --targets: those Debian's current stable
   * packages it for, where poolcheck's CI runs by default; none where it must be asked for.
   */
  readonly defaultModes: readonly string[];
  readonly docs: string;
  readonly binary: { readonly program: string; readonly aptPackage: string; readonly candidates: readonly string[] };
  /** Parses the version out of the binary's --version line. */
  parseVersion(versionLine: string): string;
  /**
   * Renders config for `mode`: for each lane's database, the pools `opts.pools` names, shaped as
   * `pools(mode)` says.
   */
  render(opts: RenderOptions): PoolerLaunch;
  /** What each pool of a lane is in `mode`: its servers, how a client holds one, which the next client gets. */
  pools(mode: string): PoolShapes;
  /**
   * How many processes the provider starts: one for the whole target; one per lane (its own
   * port and folder), when the pooler cannot keep lanes apart inside one process; or one per
   * lane and pool, when a pool's shape needs a process of its own.
   */
  readonly instances: 'one' | 'per-lane' | 'per-pool';
  /** How much longer a scenario takes through it than on PostgreSQL (each query crosses one more process); shards are balanced by it. */
  readonly costFactor: number;
  /** The Debian releases that package it, where not all do (poolcheck's images are built from Debian's packages). */
  readonly debianSuites?: readonly string[];
  /** The signal that stops this release at once, without waiting for its clients. */
  stopSignal(version: string | null): NodeJS.Signals;
  /** Settings a target may name for this pooler ({name=value}). */
  readonly settings: SettingSpecs;
  /** How render() writes a setting's value: a value this cannot hold is refused before anything starts. */
  readonly settingSyntax: ConfigSyntax;
  /**
   * Returns once the pooler holds no server connection for the lane, after
   * `terminateBackends` ended every backend of the lane's database: the next scenario then
   * starts on fresh backends and no state leaks from one scenario into the next.
   */
  resetServers(reset: ResetTools): Promise<void>;
  /** How the roles and databases a scenario creates reach the server through this pooler. */
  readonly scenarioReach: ScenarioReach;
  readonly profile: Profile;
}
