// One server (PostgreSQL or a pooler) in a container on the host's network: it listens on the
// 127.0.0.1 port poolcheck chose, which is passed on its command line or in its config, since
// host networking has no port mapping. Never a bridge network, never a container's own address.
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRuntimeClient, StartedTestContainer } from 'testcontainers';
import { DOCKER_DIR, type ResolvedImage } from './docker-images.ts';
import { LABEL, ownerLabel, removeContainers } from './docker-engine.ts';

/** Where poolcheck's files go in every container; launch.sh hands them to the server's user. */
export const CONTAINER_DIR = '/poolcheck';

export interface ContainerFile {
  readonly content: string | Buffer;
  /** 0o600 for anything holding a secret. */
  readonly mode: number;
}

export interface ServerContainerSpec {
  readonly runId: string;
  /** e.g. `direct postgres`, `pgbouncer:transaction pgbouncer`: names errors and the container. */
  readonly title: string;
  readonly component: string;
  /** Tells apart several containers of one component in a target (a pooler per lane: `-lane1`). */
  readonly instance?: string;
  readonly target: string;
  readonly image: ResolvedImage;
  /** The program launch.sh runs as the image's server user, and its arguments. */
  readonly command: readonly string[];
  /** File name (in /poolcheck) -> content. */
  readonly files: Readonly<Record<string, ContainerFile>>;
  readonly logFile: string;
  /** A tmpfs at /var/lib/poolcheck, for a data directory that never needs to reach a disk. */
  readonly scratch?: boolean;
}

export interface ServerContainer {
  readonly id: string;
  readonly name: string;
  /** Why the server stopped, if it did before poolcheck removed it. */
  exitReason(): string | undefined;
  /** Stops following the log (before a removal: see startServerContainer). */
  detach(): void;
  /** Runs the image's program (through launch.sh) and returns what it printed (stdout, else stderr: pgpool prints --version there). */
  run(command: readonly string[]): Promise<string>;
  remove(): Promise<void>;
}

const launchScript = () => readFileSync(path.join(DOCKER_DIR, 'launch.sh'));

/** `poolcheck-<run>-<target>-<component>[-laneN]`: what `docker ps` shows. */
export const containerName = (spec: Pick<ServerContainerSpec, 'runId' | 'target' | 'component' | 'instance'>) =>
  `poolcheck-${spec.runId}-${spec.target.replace(/[^a-z0-9]+/gi, '-')}-${spec.component}${spec.instance ?? ''}`;

export async function startServerContainer(c: ContainerRuntimeClient, spec: ServerContainerSpec): Promise<ServerContainer> {
  const { GenericContainer } = await import('testcontainers');
  // The host's pid namespace: backend pids are then as large and as varied as the local
  // provider's, not 1 to a few hundred in every container, where one can equal a value a
  // scenario reads (a DataRow of a 1000-row scan) and transcripts normalise it as a pid.
  // testcontainers has no builder method for PidMode; hostConfig is where its own go.
  class HostPidContainer extends GenericContainer {
    constructor(image: string) {
      super(image);
      this.hostConfig.PidMode = 'host';
    }
  }
  const name = containerName(spec);
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  let removing = false;
  let exitReason: string | undefined;
  let id = '';
  const files = { 'launch.sh': { content: launchScript(), mode: 0o755 }, ...spec.files };
  let builder = new HostPidContainer(spec.image.ref)
    .withName(name)
    .withLabels({
      [LABEL.run]: spec.runId,
      [LABEL.owner]: ownerLabel(),
      [LABEL.component]: spec.component,
      [LABEL.target]: spec.target,
    })
    .withNetworkMode('host')
    // Root only until launch.sh has given /poolcheck to the server's user (see docker/launch.sh).
    .withUser('0')
    .withEntrypoint(['/bin/sh', `${CONTAINER_DIR}/launch.sh`])
    .withCommand([spec.image.runAs, ...spec.command])
    .withCopyContentToContainer(Object.entries(files).map(([file, f]) => ({ content: f.content, target: `${CONTAINER_DIR}/${file}`, mode: f.mode })))
    // No reaper: poolcheck removes its containers itself (processes.ts, docker-engine.ts).
    .withAutoCleanup(false)
    .withStartupTimeout(TIMEOUT_MS.containerReady);
  if (spec.scratch) builder = builder.withTmpFs({ '/var/lib/poolcheck': 'rw,exec,mode=0700' });

  let started: StartedTestContainer;
  let logs: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    started = await builder.start();
    id = started.getId();
    // Followed with the engine's API rather than testcontainers' log consumer, so that the
    // stream can be closed before removal: Docker 20.10 holds a removal back while a follower
    // still reads the container's json log ("got error while decoding json" retries), which
    // made stopping after Ctrl-C take 10-20 s on a busy machine.
    logs = await c.container.dockerode.getContainer(id).logs({ follow: true, stdout: true, stderr: true });
  } catch (err) {
    log.end();
    // A container that was created but failed to start must not be left behind.
    await removeContainers(c, [name]).catch(() => undefined);
    throw new Error(`${spec.title}: could not start a container from ${spec.image.ref}: ${(err as Error).message.split('\n')[0]}`);
  }
  c.container.dockerode.modem.demuxStream(logs, log, log);
  // The log stream ends when the container's main process does.
  logs.on('end', () => {
    if (removing) return;
    exitReason = `${spec.title} container ${name} stopped; see ${spec.logFile}`;
    void c.container.dockerode
      .getContainer(id)
      .inspect()
      .then(
        (info) => {
          if (!removing)
            exitReason = `${spec.title} container ${name} exited (code ${info.State.ExitCode}${info.State.OOMKilled ? ', out of memory' : ''}); see ${spec.logFile}`;
        },
        () => undefined,
      );
  });
  logs.on('error', () => undefined);
  const container: ServerContainer = {
    id,
    name,
    exitReason: () => exitReason,
    detach() {
      removing = true;
      logs.destroy?.();
    },
    async run(command) {
      const r = await started.exec(['/bin/sh', `${CONTAINER_DIR}/launch.sh`, spec.image.runAs, ...command]);
      if (r.exitCode !== 0)
        throw new Error(`${command.join(' ')} in ${name} failed (exit ${r.exitCode}): ${r.output.trim().split('\n').slice(-2).join(' ')}`);
      return r.stdout.trim() || r.stderr.trim();
    },
    async remove() {
      container.detach();
      try {
        await removeContainers(c, [id]);
      } finally {
        log.end();
      }
    },
  };
  return container;
}
