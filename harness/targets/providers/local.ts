// The embedded default: PostgreSQL and the pooler run as child processes of poolcheck.
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { poolerAdapter } from '../../poolers/registry.ts';
import { findBinary, findPostgresBinDir, versionLine } from '../binaries.ts';
import type { ConnInfo } from '../../kernel/conn-info.ts';
import {
  appCredentials,
  certificateFiles,
  clientCertificate,
  DEFAULT_MAX_CONNECTIONS,
  initTemplate,
  laneDatabase,
  MD5_USER,
  OBSERVER_USER,
  startCluster,
  TRUST_USER,
} from '../postgres-cluster.ts';
import { freePort } from '../ports.ts';
import { runStateDir, spawnManaged, type ManagedProcess } from '../processes.ts';
import { adminConsole } from '../admin-console.ts';
import { buildLanes } from '../target-lanes.ts';
import { LogTail } from '../server-log.ts';
import { targetFacts } from '../target-settings.ts';
import { firstPool, lanePools, poolerInstances, type ServingInstance } from '../pooler-instances.ts';
import { waitUntilReady } from '../readiness.ts';
import { serverUser } from '../server-user.ts';
import type { Provider, StartedTarget } from '../started-target.ts';
import type { TargetSpec } from '../target-spec.ts';

export interface LocalProviderOptions {
  readonly runId: string;
  /** Server logs go here (the run's output folder). */
  readonly logDir: string;
  readonly pgBinDir?: string;
  /** Pooler id -> binary to test (a developer's own build). */
  readonly poolerBinaries?: Readonly<Record<string, string>>;
  readonly allowInstall: boolean;
  /** Independent lanes per target (each its own database and pools), run in parallel. */
  readonly lanes: number;
  /** PostgreSQL's max_connections (postgres-cluster.ts DEFAULT_MAX_CONNECTIONS unless a load needs more). */
  readonly maxConnections?: number;
}

export class LocalProvider implements Provider {
  readonly id = 'local' as const;
  // POOLCHECK_PASSWORD lets a test prove the password never reaches a report or log.
  private readonly app = appCredentials(process.env.POOLCHECK_PASSWORD || randomBytes(18).toString('hex'));
  private template: Promise<{ binDir: string; dir: string }> | undefined;

  constructor(private readonly opts: LocalProviderOptions) {}

  /** What must never appear in a report or log written by poolcheck. */
  secrets(): string[] {
    return [this.app.password, this.app.scramSecret];
  }

  /** Binaries are looked up before anything starts, so a missing one fails the run at once. */
  checkBinaries(specs: readonly TargetSpec[]): void {
    findPostgresBinDir(this.opts.pgBinDir, this.opts.allowInstall, serverUser);
    for (const s of specs) if (s.pooler) this.poolerBinary(s.pooler);
  }

  /** The release the pooler binary reports (`--version`), before anything starts. */
  async poolerVersion(id: string): Promise<string | null> {
    return poolerAdapter(id).parseVersion(versionLine(this.poolerBinary(id)));
  }

  private poolerBinary(id: string): string {
    const a = poolerAdapter(id);
    return findBinary({
      program: a.binary.program,
      aptPackage: a.binary.aptPackage,
      flag: `--${id}-bin PATH`,
      explicit: this.opts.poolerBinaries?.[id],
      candidates: () => [...a.binary.candidates],
      allowInstall: this.opts.allowInstall,
      runAs: serverUser,
    });
  }

  private prepareTemplate(): Promise<{ binDir: string; dir: string }> {
    this.template ??= (async () => {
      const binDir = findPostgresBinDir(this.opts.pgBinDir, this.opts.allowInstall, serverUser);
      const dir = path.join(runStateDir(this.opts.runId), 'template');
      await initTemplate(binDir, dir, this.app, { lanes: this.opts.lanes, maxConnections: this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS });
      return { binDir, dir };
    })();
    return this.template;
  }

  async start(spec: TargetSpec): Promise<StartedTarget> {
    const { binDir, dir: template } = await this.prepareTemplate();
    const slug = spec.id.replace(/[^a-z0-9]+/gi, '-');
    const targetDir = path.join(runStateDir(this.opts.runId), slug);
    mkdirSync(targetDir, { recursive: true });
    const user = serverUser();
    if (user) chownSync(targetDir, user.uid, user.gid);
    mkdirSync(this.opts.logDir, { recursive: true });
    const stops: Array<() => Promise<void>> = [];
    const stop = async () => {
      for (const s of stops.splice(0).reverse()) await s();
      // Not rmSync: removing a data directory takes a second, and the other targets run on.
      await rm(targetDir, { recursive: true, force: true });
    };
    try {
      const postgresLog = path.join(this.opts.logDir, `${slug}.postgres.log`);
      const cluster = await startCluster({
        binDir,
        template,
        dataDir: path.join(targetDir, 'data'),
        password: this.app.password,
        name: spec.id,
        logFile: postgresLog,
      });
      stops.push(() => cluster.process.stop());
      const base = {
        spec,
        provider: this.id,
        postgresVersion: cluster.version,
        stop,
        postgresLog: new LogTail(postgresLog),
        clientCertificate: clientCertificate(cluster.dataDir),
      };
      const facts = (poolerVersion: string | null) => targetFacts(spec, poolerVersion, cluster.version);
      const laneDatabases = Array.from({ length: this.opts.lanes }, (_, i) => laneDatabase(i));
      const direct = (i: number): ConnInfo => ({ ...cluster.conn, user: OBSERVER_USER, database: laneDatabases[i] });
      const app = (i: number): ConnInfo => ({ ...cluster.conn, database: laneDatabases[i] });
      if (!spec.pooler) {
        return {
          ...base,
          poolerVersion: null,
          facts: facts(null),
          failure: () => cluster.process.exitReason(),
          lanes: buildLanes(
            laneDatabases.map((_, i) => ({ index: i, direct: direct(i), pools: { single: app(i), wide: app(i) } })),
            { kind: 'none' },
            stops,
          ),
        };
      }
      const adapter = poolerAdapter(spec.pooler);
      const binary = this.poolerBinary(spec.pooler);
      const version = adapter.parseVersion(versionLine(binary));
      // Decided once: the config is rendered from the same settings the profile's conditions read.
      const decided = facts(version);
      const poolers: ManagedProcess[] = [];
      // Instances start one after another: pgpool-II runs ten for five lanes, each with dozens of
      // children, and ten starting at once outlast a Ctrl-C's 2 s to stop on two cores.
      const startInstance = async (instance: ReturnType<typeof poolerInstances>[number]): Promise<ServingInstance> => {
        const dir = instance.suffix ? path.join(targetDir, instance.suffix.slice(1)) : targetDir;
        mkdirSync(dir, { recursive: true });
        if (user) chownSync(dir, user.uid, user.gid);
        const port = await freePort();
        const launch = adapter.render({
          mode: spec.mode!,
          port,
          backend: cluster.conn,
          backendSecret: this.app.scramSecret,
          dir,
          laneDatabases: instance.lanes.map((i) => laneDatabases[i]),
          pools: instance.pools,
          authRoles: { md5: MD5_USER, trust: TRUST_USER },
          lookup: { user: OBSERVER_USER, password: this.app.password },
          tls: certificateFiles(cluster.dataDir),
          settings: spec.settings,
          effectiveSettings: decided.settings,
          version,
        });
        for (const [name, text] of Object.entries(launch.files)) {
          const file = path.join(dir, name);
          writeFileSync(file, text, { mode: 0o600 });
          if (user) chownSync(file, user.uid, user.gid);
        }
        const pooler = spawnManaged({
          name: `${spec.id} ${adapter.id}${instance.suffix}`,
          command: binary,
          args: launch.args,
          stopSignal: adapter.stopSignal(version),
          logFile: path.join(this.opts.logDir, `${slug}.${adapter.id}${instance.suffix}.log`),
        });
        stops.push(() => pooler.stop());
        poolers.push(pooler);
        const pool = (database: string): ConnInfo => ({ ...cluster.conn, port, database });
        await waitUntilReady(`${adapter.title} (${spec.id}${instance.suffix})`, pool(firstPool({ instance, launch })), [pooler, cluster.process]);
        const console = adminConsole(pool(firstPool({ instance, launch })), launch.adminDatabase);
        stops.push(() => console.close());
        return { instance, port, launch, console };
      };
      const serving: ServingInstance[] = [];
      for (const instance of poolerInstances(adapter, laneDatabases.length)) serving.push(await startInstance(instance));
      const conn = (port: number, database: string): ConnInfo => ({ ...cluster.conn, port, database });
      const lanes = buildLanes(
        laneDatabases.map((_, i) => ({ index: i, direct: direct(i), ...lanePools(serving, i, conn) })),
        { kind: 'pooler', adapter },
        stops,
      );
      return {
        ...base,
        poolerVersion: version,
        facts: decided,
        lanes,
        shapes: adapter.pools(spec.mode!),
        reach: adapter.scenarioReach,
        failure: () => poolers.map((p) => p.exitReason()).find(Boolean) ?? cluster.process.exitReason(),
      };
    } catch (err) {
      await stop();
      throw err;
    }
  }
}
