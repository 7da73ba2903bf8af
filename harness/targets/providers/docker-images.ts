// Which image runs each server of a docker target: poolcheck's own (docker/<component>/, built
// by `poolcheck images build`), or one the user names to certify it as shipped
// (--image pgbouncer=registry.example/pgbouncer:1.24.1-rc1).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { ContainerRuntimeClient } from 'testcontainers';
import { PACKAGE_ROOT } from '../../kernel/package-root.ts';
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import type { PoolerAdapter } from '../../poolers/pooler-adapter.ts';
import { poolerIds, poolers } from '../../poolers/registry.ts';

/** docker/ beside package.json: one folder per image poolcheck can build. */
export const DOCKER_DIR = path.join(PACKAGE_ROOT, 'docker');

/** What an image runs: PostgreSQL, or a pooler by its adapter id. */
export const imageComponents = (): string[] => ['postgres', ...poolerIds];

/** Whether poolcheck can build the component's image from this Debian release (a pooler's adapter says where Debian packages it). */
export const builtIn = (component: string, suite: Suite): boolean =>
  (poolers as Record<string, PoolerAdapter | undefined>)[component]?.debianSuites?.includes(suite) ?? true;

/** The folder an image of poolcheck's is built from, if poolcheck has one for the component. */
export function imageFolder(component: string): string | undefined {
  const dir = path.join(DOCKER_DIR, component);
  return existsSync(path.join(dir, 'Dockerfile')) ? dir : undefined;
}

/**
 * The Debian releases poolcheck's images can be made from, each fixing the PostgreSQL and
 * pooler versions a docker run certifies (bookworm: PostgreSQL 15, pgbouncer 1.18, pgpool-II
 * 4.3; trixie: 17, 1.24, 4.6; sid: 18, 1.26, 4.7, odyssey 1.5).
 */
export const SUITES = ['bookworm', 'trixie', 'sid'] as const;
export type Suite = (typeof SUITES)[number];
export const builtImageTag = (component: string, suite: Suite) => `poolcheck/${component}:${suite}`;

/** What `program --version` prints in an image (first line), or why it printed nothing. */
export async function imageVersionLine(ref: string, program: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'docker',
      ['run', '--rm', '--network', 'none', '--entrypoint', program, ref, '--version'],
      { timeout: TIMEOUT_MS.imageProbe, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const text = (stdout.trim() || stderr.trim()).split('\n')[0];
        resolve(text || `unknown (${err ? err.message.split('\n')[0] : 'no output'})`);
      },
    );
  });
}

export interface ImageChoice {
  readonly component: string;
  readonly ref: string;
  /** Named by the user rather than built by poolcheck. */
  readonly user: boolean;
}

/** Parses `--image c=ref[,c=ref...]`; an unknown component is an error naming the known ones. */
export function parseImageOverrides(items: readonly string[] = []): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const component = item.slice(0, eq).trim();
    const ref = item.slice(eq + 1).trim();
    if (eq <= 0 || !ref) throw new Error(`bad --image "${item}": expected <component>=<image>, e.g. pgbouncer=registry.example/pgbouncer:1.24.1-rc1`);
    if (!imageComponents().includes(component)) throw new Error(`--image: unknown component "${component}"; known: ${imageComponents().join(', ')}`);
    out[component] = ref;
  }
  return out;
}

export function chooseImage(component: string, overrides: Readonly<Record<string, string>>, suite: Suite): ImageChoice {
  const ref = overrides[component];
  return ref ? { component, ref, user: true } : { component, ref: builtImageTag(component, suite), user: false };
}

export interface ResolvedImage extends ImageChoice {
  /** Who the server runs as: the image's USER, or `postgres` where the image says root. */
  readonly runAs: string;
  readonly id: string;
}

/**
 * Makes sure the image is in the engine and reads who its server runs as. poolcheck never pulls:
 * its own images exist only where they were built, and a user's image is fetched by the user
 * (`docker pull`, `docker load`), so that a run touches no registry and certifies exactly the
 * image that is there.
 */
export async function resolveImage(c: ContainerRuntimeClient, choice: ImageChoice): Promise<ResolvedImage> {
  const { ImageName } = await import('testcontainers');
  const name = ImageName.fromString(choice.ref);
  if (!(await c.image.exists(name))) {
    throw new Error(
      choice.user
        ? `image ${choice.ref} is not in the Docker engine (poolcheck never pulls): \`docker pull ${choice.ref}\` or \`docker load\` it first`
        : `image ${choice.ref} is not built: run \`poolcheck images build --suite ${choice.ref.split(':')[1]}\` (after \`poolcheck images bootstrap --suite ${choice.ref.split(':')[1]}\` where no registry is reachable), or name one with --image ${choice.component}=IMAGE`,
    );
  }
  const info = await c.image.inspect(name);
  const user = info.Config?.User ?? '';
  const runAs = !user || user === 'root' || user === '0' || user.startsWith('0:') ? 'postgres' : user;
  return { ...choice, runAs, id: info.Id };
}
