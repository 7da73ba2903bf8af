// `--provider external`: a pooler that is already running somewhere (a staging pgbouncer, a
// cloud proxy), given as a pooled URL and a direct URL to the same database, which is the
// baseline. poolcheck cannot restart a foreign pooler or give it a database of its own, so:
//  - the two targets (direct, then the pooler) run one after the other, never at once: both
//    use the same database, and a quiesce of one would end the other's sessions;
//  - the quiesce between scenarios ends the pooler's server connections and waits until none
//    from before it is left: given the pooler's admin console (--external-admin), through the
//    adapter's reset, exactly as for a pooler poolcheck started; without it, by having the
//    pooler's own clients end the backends they get (lane-control.ts `sweep`), so that no
//    pooler is left holding a connection poolcheck killed behind its back. Sessions on the
//    direct URL are ended with pg_terminate_backend (the direct role must be a superuser, a
//    member of pg_signal_backend, or the pooled role). Point it at a database of its own.
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import { adminConsole } from '../admin-console.ts';
import type { ConnInfo } from '../../kernel/conn-info.ts';
import type { KnownPooler } from '../../poolers/known-poolers.ts';
import { externalShapes } from '../../poolers/pool-shape.ts';
import { EXTERNAL_REACH } from '../../poolers/scenario-reach.ts';
import { waitUntilReady } from '../readiness.ts';
import type { Provider, StartedTarget } from '../started-target.ts';
import { DIRECT, type TargetSpec } from '../target-spec.ts';
import { buildLanes } from '../target-lanes.ts';
import { targetFacts } from '../target-settings.ts';
import { ControlConnection } from '../control-connection.ts';
import { ExternalUsageError, shownUrl as describe, type UrlEndpoint } from './external-url.ts';
import { errorText } from '../../kernel/errors.ts';
import { WireConnection } from '../../wire/connection.ts';
import { Transcript } from '../../wire/transcript.ts';

export interface ExternalLane {
  readonly direct: UrlEndpoint;
  /** The pooler's URL for this lane's database. */
  readonly pooled: UrlEndpoint;
  /** A pool of one server connection over the same database, where the pooler has one. */
  readonly single: UrlEndpoint;
}

export interface ExternalProviderOptions {
  /** Which pooler and mode this is, so that its profile applies. */
  readonly pooler: TargetSpec;
  /** What poolcheck knows of that pooler: nothing, for one it has never heard of. */
  readonly known?: KnownPooler;
  readonly lanes: readonly ExternalLane[];
  /** The pooler's admin console, when the user can reach it. */
  readonly admin?: UrlEndpoint;
  readonly password: string;
}

export class ExternalProvider implements Provider {
  readonly id = 'external' as const;
  /** Targets take turns on the shared database: each start waits for the previous target's stop. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ExternalProviderOptions) {
    if (!opts.pooler.pooler) throw new Error('an external target needs a pooler (e.g. pgbouncer:transaction)');
  }

  /** Known once its admin console answers, when there is one: not before a target starts. */
  async poolerVersion(): Promise<string | null> {
    return null;
  }

  /** An external target is always its pooler beside the direct baseline. */
  targets(): TargetSpec[] {
    return [DIRECT, this.opts.pooler];
  }

  secrets(): string[] {
    return [this.opts.password];
  }

  private conn(e: UrlEndpoint): ConnInfo {
    return { ...e, password: this.opts.password };
  }

  async start(spec: TargetSpec): Promise<StartedTarget> {
    const previous = this.turn;
    let release!: () => void;
    this.turn = new Promise((r) => {
      release = r;
    });
    await previous;
    const stops: Array<() => Promise<void>> = [];
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        try {
          for (const s of stops.splice(0).reverse()) await s();
        } finally {
          release();
        }
      })());
    try {
      const lanesDirect = this.opts.lanes.map((l) => this.conn(l.direct));
      for (const d of lanesDirect) await waitUntilReady(`the direct URL ${describe(d)}`, d, [], TIMEOUT_MS.externalReady);
      const postgresVersion = await serverVersion(lanesDirect[0]);
      const none = () => undefined;
      if (!spec.pooler) {
        // The pooler's idle server connections on the same database are spared: ended from
        // here, they would reach the pooler's first clients dead.
        const lanes = buildLanes(
          lanesDirect.map((d, index) => ({ index, direct: d, pools: { single: d, wide: d } })),
          { kind: 'spare-older' },
          stops,
        );
        return {
          spec,
          provider: this.id,
          poolerVersion: null,
          postgresVersion,
          facts: targetFacts(spec, null, postgresVersion),
          failure: none,
          stop,
          lanes,
        };
      }
      // A pooler poolcheck only knows as a profile (YugabyteDB, PolarDB) has no adapter: its
      // version and its server connections cannot be read through an admin console here.
      const known = this.opts.known;
      const adapter = known?.adapter;
      const lanes = this.opts.lanes.map((l, index) => ({
        index,
        direct: lanesDirect[index],
        pools: { single: this.conn(l.single), wide: this.conn(l.pooled) },
      }));
      for (const l of lanes)
        await waitUntilReady(`${known?.title ?? spec.pooler} at ${describe(l.pools.wide)}`, l.pools.wide, [], TIMEOUT_MS.externalReady);
      let poolerVersion: string | null = null;
      let admin: ReturnType<typeof adminConsole> | undefined;
      if (this.opts.admin && adapter) {
        const a = adminConsole(this.conn(this.opts.admin), this.opts.admin.database);
        admin = a;
        stops.push(() => a.close());
        poolerVersion = await adminVersion(a, (line) => adapter.parseVersion(line));
      }
      const reset = admin && adapter ? { kind: 'pooler' as const, adapter } : { kind: 'sweep' as const };
      const consoles = admin && { single: admin, wide: admin };
      const shapes = adapter?.pools(spec.mode ?? adapter.modes[0]) ?? externalShapes(spec.mode);
      return {
        spec,
        provider: this.id,
        poolerVersion,
        postgresVersion,
        facts: targetFacts(spec, poolerVersion, postgresVersion),
        failure: none,
        stop,
        shapes,
        reach: EXTERNAL_REACH,
        lanes: buildLanes(
          lanes.map((l) => ({ ...l, ...(consoles ? { consoles } : {}) })),
          reset,
          stops,
        ),
      };
    } catch (err) {
      await stop();
      throw err;
    }
  }
}

/**
 * One connection to each URL the user gave, before anything runs: a server that is not there,
 * refuses the login or lacks the database will not be there in 15 s either, so the run stops
 * at once with the URL (never the password) and the server's answer, instead of ending as one
 * error per scenario.
 */
export async function checkReachable(endpoints: ReadonlyArray<{ flag: string; conn: ConnInfo }>): Promise<void> {
  for (const { flag, conn } of endpoints) {
    try {
      const c = await WireConnection.connect({ ...conn, label: 'check', transcript: Transcript.none(), timeoutMs: TIMEOUT_MS.externalProbe });
      await c.close();
    } catch (err) {
      throw new ExternalUsageError(`--${flag} ${describe(conn)}: cannot log in: ${errorText(err).split('\n')[0]}`);
    }
  }
}

/** `SHOW server_version`: the same text `postgres --version` gives after its name. */
async function serverVersion(direct: ConnInfo): Promise<string> {
  const c = new ControlConnection(direct, 'version');
  try {
    return (await c.value('SHOW server_version')) ?? 'unknown';
  } finally {
    await c.close();
  }
}

/**
 * The pooler's version from its admin console's SHOW VERSION (pgbouncer's command; poolers
 * without it leave the version unknown, which only the report shows).
 */
async function adminVersion(admin: ReturnType<typeof adminConsole>, parse: (line: string) => string): Promise<string | null> {
  try {
    const row = (await admin.query('SHOW VERSION'))[0];
    const text = row ? Object.values(row)[0] : null;
    return text ? parse(text) : null;
  } catch {
    return null;
  }
}
