// The Docker engine the docker provider talks to, through testcontainers 11 (12 needs Node 22).
// testcontainers' reaper (Ryuk) is an image pulled from a registry, which machines without one
// cannot do, so it stays off and poolcheck removes its containers itself: every container
// carries the run's id and its owner process, so a later run can tell what a killed run left.
import http from 'node:http';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import type { ContainerRuntimeClient } from 'testcontainers';

export const START_ENGINE_HINT =
  'start one as root with `dockerd --bridge=none --iptables=false --ip6tables=false &` (apt-get install docker.io), or point DOCKER_HOST at one';

export class DockerUnavailableError extends Error {
  constructor(where: string, why: string) {
    super(`no Docker engine answers at ${where} (${why}): ${START_ENGINE_HINT}`);
    this.name = 'DockerUnavailableError';
  }
}

/** Labels on every container poolcheck starts. */
export const LABEL = {
  run: 'io.poolcheck.run',
  /** `<host>/<pid>/<process start time>`: the pid alone could have been reused since. */
  owner: 'io.poolcheck.owner',
  component: 'io.poolcheck.component',
  target: 'io.poolcheck.target',
} as const;

function engineAddress(): { where: string; options: http.RequestOptions } {
  const host = process.env.DOCKER_HOST;
  if (host && /^tcp:\/\//.test(host)) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return { where: host, options: { host: u.hostname, port: Number(u.port) || 2375 } };
  }
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
  return { where: socketPath, options: { socketPath } };
}

/**
 * Asks the engine's /_ping with a deadline. Cheap (no testcontainers import), so the CLI and the
 * test suite can tell at once whether docker runs are possible, and why not.
 */
export function pingEngine(deadlineMs = 3000): Promise<{ ok: true } | { ok: false; error: DockerUnavailableError }> {
  const { where, options } = engineAddress();
  return new Promise((resolve) => {
    const fail = (why: string) => resolve({ ok: false, error: new DockerUnavailableError(where, why) });
    const req = http.request({ ...options, path: '/_ping', method: 'GET', timeout: deadlineMs }, (res) => {
      res.resume();
      if (res.statusCode === 200) resolve({ ok: true });
      else fail(`/_ping answered HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => {
      req.destroy();
      fail(`no answer to /_ping within ${deadlineMs} ms`);
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
    req.end();
  });
}

let client: Promise<ContainerRuntimeClient> | undefined;

/** testcontainers' client for the engine, once per process; a missing engine is one clear line. */
export function engine(): Promise<ContainerRuntimeClient> {
  client ??= (async () => {
    const ping = await pingEngine();
    if (!ping.ok) throw ping.error;
    // Read by testcontainers when it first connects: no reaper, and host networking means
    // servers are reached on the loopback address, never on a container's own address.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const { getContainerRuntimeClient } = await import('testcontainers');
    try {
      return await getContainerRuntimeClient();
    } catch (err) {
      throw new DockerUnavailableError(engineAddress().where, (err as Error).message);
    }
  })();
  client.catch(() => {
    client = undefined;
  });
  return client;
}

/** Clock ticks since boot at which `pid` started (field 22 of /proc/PID/stat), or undefined. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** This process as a container owner. */
export function ownerLabel(): string {
  return `${os.hostname()}/${process.pid}/${processStart(process.pid) ?? '?'}`;
}

/**
 * Whether the run that labelled a container is gone. Only containers of this host are judged:
 * an engine shared with other machines may hold their live runs' containers.
 */
export function ownerGone(label: string | undefined): boolean {
  const [host, pid, started] = (label ?? '').split('/');
  if (host !== os.hostname() || !Number(pid)) return false;
  return processStart(Number(pid)) !== started;
}

/** Removes (kills) containers by id; a container already gone is no error. */
export async function removeContainers(c: ContainerRuntimeClient, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      try {
        await c.container.dockerode.getContainer(id).remove({ force: true, v: true });
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 409) throw err; // 409: removal already in progress
      }
    }),
  );
}

/** Ids of the containers (running or not) that carry `label` (`name` or `name=value`). */
export async function containersLabelled(c: ContainerRuntimeClient, label: string): Promise<Array<{ id: string; labels: Record<string, string> }>> {
  const list = await c.container.dockerode.listContainers({ all: true, filters: { label: [label] } });
  return list.map((x) => ({ id: x.Id, labels: x.Labels ?? {} }));
}

/**
 * Removes what runs killed earlier (SIGKILL, a crash) left in the engine: containers whose
 * owner process is gone. Returns how many were removed.
 */
export async function removeLeftoverContainers(): Promise<number> {
  const c = await engine();
  const left = (await containersLabelled(c, LABEL.owner)).filter((x) => ownerGone(x.labels[LABEL.owner]));
  await removeContainers(
    c,
    left.map((x) => x.id),
  );
  return left.length;
}
