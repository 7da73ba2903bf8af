// Which image runs each server of a docker target: poolcheck's own (docker/<component>/, built
// by `poolcheck images build`), or one the user names to certify it as shipped
// (--image pgbouncer=registry.example/pgbouncer:1.24.1-rc1).
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ContainerRuntimeClient } from 'testcontainers';
import { poolerIds } from '../../poolers/registry.ts';

/** docker/ in the repository: one folder per image poolcheck can build. */
export const DOCKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docker');

/** What an image runs: PostgreSQL, or a pooler by its adapter id. */
export const imageComponents = (): string[] => ['postgres', ...poolerIds];

/** The folder an image of poolcheck's is built from, if poolcheck has one for the component. */
export function imageFolder(component: string): string | undefined {
  const dir = path.join(DOCKER_DIR, component);
  return existsSync(path.join(dir, 'Dockerfile')) ? dir : undefined;
}

export const builtImageTag = (component: string) => `poolcheck/${component}:bookworm`;

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

export function chooseImage(component: string, overrides: Readonly<Record<string, string>>): ImageChoice {
  const ref = overrides[component];
  return ref ? { component, ref, user: true } : { component, ref: builtImageTag(component), user: false };
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
    throw new Error(choice.user
      ? `image ${choice.ref} is not in the Docker engine (poolcheck never pulls): \`docker pull ${choice.ref}\` or \`docker load\` it first`
      : `image ${choice.ref} is not built: run \`poolcheck images build\` (after \`poolcheck images bootstrap\` where no registry is reachable), or name one with --image ${choice.component}=IMAGE`);
  }
  const info = await c.image.inspect(name);
  const user = info.Config?.User ?? '';
  const runAs = !user || user === 'root' || user === '0' || user.startsWith('0:') ? 'postgres' : user;
  return { ...choice, runAs, id: info.Id };
}
