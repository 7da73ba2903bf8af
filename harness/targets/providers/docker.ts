// `--provider docker`: PostgreSQL and the pooler each in a container (testcontainers 11) on the
// host's network, set up exactly as the local provider sets up its child processes: the same
// cluster (postgres-cluster.ts clusterSetup), the same pooler config (the adapter's render),
// the same lanes and quiesce (target-lanes.ts). Only where the servers run differs.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRuntimeClient } from 'testcontainers';
import { settlesWithin } from '../../kernel/poll.ts';
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import type { PoolerAdapter } from '../../poolers/pooler-adapter.ts';
import { poolerAdapter } from '../../poolers/registry.ts';
import { adminConsole } from '../admin-console.ts';
import type { ConnInfo } from '../../kernel/conn-info.ts';
import {
  APP_DATABASE,
  APP_USER,
  appCredentials,
  clusterSetup,
  clientCertificate,
  laneDatabase,
  makeCertificate,
  MD5_USER,
  OBSERVER_USER,
  parsePostgresVersion,
  TRUST_USER,
} from '../postgres-cluster.ts';
import { freePort } from '../ports.ts';
import { manageResource, runStateDir } from '../processes.ts';
import { waitUntilReady } from '../readiness.ts';
import type { Provider, StartedTarget } from '../started-target.ts';
import { firstPool, lanePools, poolerInstances, type ServingInstance } from '../pooler-instances.ts';
import { targetEffectiveSettings, targetFacts } from '../target-settings.ts';
import { LogTail } from '../server-log.ts';
import type { TargetSpec } from '../target-spec.ts';
import { buildLanes, type LaneSpec } from '../target-lanes.ts';
import { CONTAINER_DIR, containerName, startServerContainer, type ServerContainer, type ServerContainerSpec } from './docker-container.ts';
import { containersLabelled, engine, LABEL, removeContainers, removeLeftoverContainers } from './docker-engine.ts';
import { chooseImage, DOCKER_DIR, imageVersionLine, resolveImage, type ResolvedImage, type Suite } from './docker-images.ts';

export interface DockerProviderOptions {
  readonly runId: string;
  /** Server logs go here (the run's output folder), one file per container. */
  readonly logDir: string;
  readonly lanes: number;
  /** PostgreSQL's max_connections (postgres-cluster.ts). */
  readonly maxConnections: number;
  /** Component (postgres or a pooler id) -> image to run instead of poolcheck's own. */
  readonly images: Readonly<Record<string, string>>;
  /** The Debian release poolcheck's own images were built from. */
  readonly suite: Suite;
}

export class DockerProvider implements Provider {
  readonly id = 'docker' as const;
  // POOLCHECK_PASSWORD lets a test prove the password never reaches a report or log.
  private readonly app = appCredentials(process.env.POOLCHECK_PASSWORD || randomBytes(18).toString('hex'));
  private readonly images = new Map<string, Promise<ResolvedImage>>();
  private readonly versions = new Map<string, Promise<string | null>>();
  private certificate: Promise<{ cert: Buffer; key: Buffer; ca: Buffer; client: { cert: string; key: string } }> | undefined;
  /** Names of containers asked for and not yet removed: what the 'exit' handler removes. */
  private readonly names = new Set<string>();
  private readonly live = new Set<ServerContainer>();
  private readonly pending = new Set<Promise<unknown>>();
  private closing = false;
  private unregister: (() => void) | undefined;

  constructor(private readonly opts: DockerProviderOptions) {}

  /** What must never appear in a report or log written by poolcheck. */
  secrets(): string[] {
    return [this.app.password, this.app.scramSecret];
  }

  /**
   * Before anything starts: the engine answers (else one line naming the fix), what killed runs
   * left is removed, and every image the targets need is present. Returns the leftovers removed.
   */
  async prepare(specs: readonly TargetSpec[]): Promise<number> {
    await engine();
    const leftovers = await removeLeftoverContainers();
    runStateDir(this.opts.runId);
    this.unregister ??= manageResource({ name: 'the containers of this run', stop: () => this.removeAll(), kill: () => this.killAll() });
    const components = ['postgres', ...new Set(specs.flatMap((s) => (s.pooler ? [s.pooler] : [])))];
    await Promise.all(components.map((c) => this.image(c)));
    return leftovers;
  }

  /**
   * The release the pooler's image runs (`--version` in a throwaway container), before any target
   * starts; asked once per pooler, as every instance of every target of it renders its config by it.
   */
  poolerVersion(id: string): Promise<string | null> {
    let v = this.versions.get(id);
    if (!v) {
      const adapter = poolerAdapter(id);
      v = this.image(id).then(async (image) => adapter.parseVersion(await imageVersionLine(image.ref, adapter.binary.program)));
      this.versions.set(id, v);
    }
    return v;
  }

  /** The images used, component -> reference, for the run's log. */
  async imageRefs(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [c, p] of this.images) out[c] = (await p).ref;
    return out;
  }

  private image(component: string): Promise<ResolvedImage> {
    let p = this.images.get(component);
    if (!p) {
      p = engine().then((c) => resolveImage(c, chooseImage(component, this.opts.images, this.opts.suite)));
      this.images.set(component, p);
    }
    return p;
  }

  /** One self-signed certificate per run (as the local provider's template has one). */
  private tls(): Promise<{ cert: Buffer; key: Buffer; ca: Buffer; client: { cert: string; key: string } }> {
    this.certificate ??= (async () => {
      const dir = path.join(runStateDir(this.opts.runId), 'docker-tls');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      makeCertificate(dir);
      return {
        cert: readFileSync(path.join(dir, 'server.crt')),
        key: readFileSync(path.join(dir, 'server.key')),
        ca: readFileSync(path.join(dir, 'ca.crt')),
        client: clientCertificate(dir),
      };
    })();
    return this.certificate;
  }

  start(spec: TargetSpec): Promise<StartedTarget> {
    if (this.closing) return Promise.reject(new Error(`${spec.id} not started: poolcheck is stopping`));
    const p = this.startTarget(spec);
    this.pending.add(p);
    const done = () => {
      this.pending.delete(p);
    };
    p.then(done, done);
    return p;
  }

  private async container(c: ContainerRuntimeClient, spec: Omit<ServerContainerSpec, 'runId'>): Promise<ServerContainer> {
    const full = { ...spec, runId: this.opts.runId };
    this.names.add(containerName(full));
    const container = await startServerContainer(c, full);
    this.live.add(container);
    return container;
  }

  private async startTarget(spec: TargetSpec): Promise<StartedTarget> {
    const c = await engine();
    mkdirSync(this.opts.logDir, { recursive: true });
    const stops: Array<() => Promise<void>> = [];
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        for (const s of stops.splice(0).reverse()) await s();
      })());
    try {
      const plan = await this.planTarget(spec);
      if (!spec.pooler) {
        const pg = await this.container(c, plan.postgres);
        stops.push(() => this.forget(pg));
        const [, version] = await Promise.all([
          waitUntilReady(`PostgreSQL for ${spec.id} (container ${pg.name})`, plan.conn, [pg], TIMEOUT_MS.containerReady),
          pg.run(['postgres', '--version']),
        ]);
        const lanes = plan.direct.map((d, index) => ({
          index,
          direct: d,
          pools: { single: { ...plan.conn, database: d.database }, wide: { ...plan.conn, database: d.database } },
        }));
        return {
          spec,
          provider: this.id,
          postgresVersion: parsePostgresVersion(version),
          poolerVersion: null,
          stop,
          clientCertificate: plan.tls.client,
          facts: targetFacts(spec, null, parsePostgresVersion(version)),
          postgresLog: new LogTail(plan.postgres.logFile),
          failure: () => pg.exitReason(),
          lanes: buildLanes(lanes, { kind: 'none' }, stops),
        };
      }
      return await this.startPooled(c, spec, spec.pooler, plan, stops, stop);
    } catch (err) {
      await stop();
      throw err;
    }
  }

  /** The target's PostgreSQL container and connections; nothing starts yet. */
  private async planTarget(spec: TargetSpec) {
    const tls = await this.tls();
    const setup = clusterSetup(this.app, this.opts);
    const pgPort = await freePort();
    const conn: ConnInfo = { host: '127.0.0.1', port: pgPort, database: APP_DATABASE, user: APP_USER, password: this.app.password };
    const laneDatabases = Array.from({ length: this.opts.lanes }, (_, i) => laneDatabase(i));
    // The observer logs in as the md5 superuser, as in the local provider (not under test).
    const direct = laneDatabases.map((database): ConnInfo => ({ ...conn, user: OBSERVER_USER, database }));
    const slug = spec.id.replace(/[^a-z0-9]+/gi, '-');
    const postgres: Omit<ServerContainerSpec, 'runId'> = {
      title: `${spec.id} postgres`,
      component: 'postgres',
      target: spec.id,
      image: await this.image('postgres'),
      command: ['/bin/sh', `${CONTAINER_DIR}/start-postgres.sh`, String(pgPort), ...setup.initdbArgs],
      files: {
        'start-postgres.sh': { content: readFileSync(path.join(DOCKER_DIR, 'postgres', 'start-postgres.sh')), mode: 0o755 },
        'postgresql.conf.add': { content: setup.conf, mode: 0o644 },
        'pg_hba.conf': { content: setup.hba, mode: 0o644 },
        'bootstrap.sql': { content: setup.bootstrapSql, mode: 0o600 },
        'server.crt': { content: tls.cert, mode: 0o644 },
        'server.key': { content: tls.key, mode: 0o600 },
        'ca.crt': { content: tls.ca, mode: 0o644 },
      },
      logFile: path.join(this.opts.logDir, `${slug}.postgres.log`),
      scratch: true,
    };
    return { tls, conn, laneDatabases, direct, slug, postgres };
  }

  /** The pooler's containers, as many as the adapter runs processes (pooler-instances.ts), rendered by its adapter. */
  private async planPoolers(spec: TargetSpec, adapter: PoolerAdapter, plan: Awaited<ReturnType<DockerProvider['planTarget']>>) {
    const image = await this.image(adapter.id);
    const { laneDatabases, conn, tls } = plan;
    // The release the image runs, read before it starts (its --version once it runs is the target's facts' release).
    const version = await this.poolerVersion(adapter.id).catch(() => null);
    const effectiveSettings = targetEffectiveSettings(spec, version);
    return Promise.all(
      poolerInstances(adapter, laneDatabases.length).map(async (instance) => {
        const port = await freePort();
        const launch = adapter.render({
          mode: spec.mode ?? adapter.modes[0],
          port,
          backend: conn,
          backendSecret: this.app.scramSecret,
          dir: CONTAINER_DIR,
          laneDatabases: instance.lanes.map((i) => laneDatabases[i]),
          pools: instance.pools,
          authRoles: { md5: MD5_USER, trust: TRUST_USER },
          lookup: { user: OBSERVER_USER, password: this.app.password },
          tls: { cert: `${CONTAINER_DIR}/server.crt`, key: `${CONTAINER_DIR}/server.key` },
          settings: spec.settings,
          effectiveSettings,
          version,
        });
        const container: Omit<ServerContainerSpec, 'runId'> = {
          title: `${spec.id} ${adapter.id}${instance.suffix}`,
          component: adapter.id,
          instance: instance.suffix,
          target: spec.id,
          image,
          command: [adapter.binary.program, ...launch.args],
          files: {
            ...Object.fromEntries(Object.entries(launch.files).map(([name, text]) => [name, { content: text, mode: 0o600 }])),
            'server.crt': { content: tls.cert, mode: 0o644 },
            'server.key': { content: tls.key, mode: 0o600 },
          },
          logFile: path.join(this.opts.logDir, `${plan.slug}.${adapter.id}${instance.suffix}.log`),
        };
        return { instance, port, launch, container };
      }),
    );
  }

  private async startPooled(
    c: ContainerRuntimeClient,
    spec: TargetSpec,
    poolerId: string,
    plan: Awaited<ReturnType<DockerProvider['planTarget']>>,
    stops: Array<() => Promise<void>>,
    stop: () => Promise<void>,
  ): Promise<StartedTarget> {
    const adapter = poolerAdapter(poolerId);
    const planned = await this.planPoolers(spec, adapter, plan);
    // The poolers' containers start beside PostgreSQL's: they know the port they will find
    // PostgreSQL on, and connect to it only when the first client comes.
    const startedAll = await Promise.allSettled([this.container(c, plan.postgres), ...planned.map((p) => this.container(c, p.container))]);
    for (const r of startedAll) if (r.status === 'fulfilled') stops.push(() => this.forget(r.value));
    const failed = startedAll.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [pg, ...poolers] = startedAll.map((r) => (r as PromiseFulfilledResult<ServerContainer>).value);
    const pool = (port: number, database: string): ConnInfo => ({ ...plan.conn, port, database });
    const [, pgVersion, poolerVersion] = await Promise.all([
      (async () => {
        await waitUntilReady(`PostgreSQL for ${spec.id} (container ${pg.name})`, plan.conn, [pg, ...poolers], TIMEOUT_MS.containerReady);
        await Promise.all(
          planned.map((p, n) =>
            waitUntilReady(
              `${adapter.title} (${spec.id}, container ${poolers[n].name})`,
              pool(p.port, firstPool(p)),
              [poolers[n], pg],
              TIMEOUT_MS.containerReady,
            ),
          ),
        );
      })(),
      pg.run(['postgres', '--version']),
      poolers[0].run([adapter.binary.program, '--version']),
    ]);
    const serving: ServingInstance[] = planned.map((p) => {
      const console = adminConsole(pool(p.port, firstPool(p)), p.launch.adminDatabase);
      stops.push(() => console.close());
      return { instance: p.instance, port: p.port, launch: p.launch, console };
    });
    const specs: LaneSpec[] = plan.direct.map((direct, index) => ({ index, direct, ...lanePools(serving, index, pool) }));
    const release = adapter.parseVersion(poolerVersion.split('\n')[0].trim());
    return {
      spec,
      provider: this.id,
      postgresVersion: parsePostgresVersion(pgVersion),
      stop,
      clientCertificate: plan.tls.client,
      shapes: adapter.pools(spec.mode ?? adapter.modes[0]),
      reach: adapter.scenarioReach,
      poolerVersion: release,
      facts: targetFacts(spec, release, parsePostgresVersion(pgVersion)),
      postgresLog: new LogTail(plan.postgres.logFile),
      failure: () => poolers.map((k) => k.exitReason()).find(Boolean) ?? pg.exitReason(),
      lanes: buildLanes(specs, { kind: 'pooler', adapter }, stops),
    };
  }

  private async forget(container: ServerContainer): Promise<void> {
    await container.remove();
    this.names.delete(container.name);
    this.live.delete(container);
  }

  /**
   * Every exit path ends here (processes.ts stopAll): containers still being created are let
   * finish (with a deadline), then everything labelled with this run is removed, whatever
   * state poolcheck had recorded about it.
   */
  private async removeAll(): Promise<void> {
    this.closing = true;
    await settlesWithin(Promise.allSettled([...this.pending]), TIMEOUT_MS.containerSettle);
    for (const k of this.live) k.detach();
    const c = await engine();
    const removal = (async () => {
      const mine = await containersLabelled(c, `${LABEL.run}=${this.opts.runId}`);
      await removeContainers(
        c,
        mine.map((x) => x.id),
      );
    })();
    if (!(await settlesWithin(removal, TIMEOUT_MS.containerRemove))) {
      process.stderr.write(
        `poolcheck: the Docker engine had not removed this run's containers after ${TIMEOUT_MS.containerRemove / 1000} s; the next run removes what is left (label ${LABEL.run}=${this.opts.runId})\n`,
      );
      return;
    }
    this.names.clear();
    this.live.clear();
    this.unregister?.();
  }

  /** The 'exit' handler's last resort, synchronous: the docker CLI, where there is one. */
  private killAll(): void {
    if (!this.names.size) return;
    spawnSync('docker', ['rm', '--force', ...this.names], { stdio: 'ignore', timeout: TIMEOUT_MS.exitCleanup });
  }
}
