// `poolcheck images bootstrap|build|list [--suite S]`: the images `--provider docker` runs,
// made from one Debian release. Builds use the docker CLI (`docker build --network host`: the
// engine here has no bridge network, so a build step reaches Debian's mirror only through the
// host's network).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall } from '../kernel/apt.ts';
import { poolerAdapter } from '../poolers/registry.ts';
import { pingEngine } from '../targets/providers/docker-engine.ts';
import {
  builtImageTag,
  builtIn,
  DOCKER_DIR,
  imageComponents,
  imageFolder,
  imageVersionLine,
  SUITES,
  type Suite,
} from '../targets/providers/docker-images.ts';
import { type Options } from './args.ts';
import { UsageError } from '../kernel/errors.ts';

const baseImage = (suite: Suite) => `debian:${suite}-slim`;

const onPath = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;

async function needDocker(): Promise<void> {
  if (!onPath('docker')) throw new Error('the docker CLI is not installed: `apt-get install docker.io`');
  const ping = await pingEngine();
  if (!ping.ok) throw ping.error;
}

const imagePresent = (ref: string) => spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0;

/** The program whose --version names what an image runs. */
const programOf = (component: string) => (component === 'postgres' ? 'postgres' : poolerAdapter(component).binary.program);

export async function imagesCommand(sub: string | undefined, rest: readonly string[], options: Options): Promise<number> {
  const suite = options.get('suite');
  if (sub === 'bootstrap') return bootstrap(suite, options.get('force'));
  if (sub === 'build') return build(suite, rest);
  if (sub === 'list') return list(suite);
  throw new UsageError(`poolcheck images takes bootstrap, build or list (got ${sub ? `"${sub}"` : 'nothing'})`);
}

/** debian:<suite>-slim made locally: debootstrap --variant=minbase, then docker import. */
async function bootstrap(suite: Suite, force: boolean): Promise<number> {
  await needDocker();
  if (!onPath('debootstrap')) {
    if (process.getuid?.() !== 0) throw new Error('debootstrap is not installed: `apt-get install debootstrap` (as root)');
    aptInstall(['debootstrap']);
  }
  const t0 = Date.now();
  const r = spawnSync('bash', [path.join(DOCKER_DIR, 'bootstrap-base.sh'), '--suite', suite, ...(force ? ['--force'] : [])], { stdio: 'inherit' });
  if (r.status !== 0) return 2;
  process.stderr.write(`poolcheck: images bootstrap --suite ${suite} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return 0;
}

function buildOne(component: string, suite: Suite, dir: string, logFile: string): Promise<{ ok: boolean; ms: number }> {
  const t0 = Date.now();
  const log = createWriteStream(logFile);
  // The legacy builder: engines without buildx (Debian's docker.io) build the same Dockerfile.
  const child = spawn('docker', ['build', '--network', 'host', '--build-arg', `SUITE=${suite}`, '--tag', builtImageTag(component, suite), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '0' },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  return new Promise((resolve) => {
    child.on('error', () => {
      log.end();
      resolve({ ok: false, ms: Date.now() - t0 });
    });
    child.on('exit', (code) => {
      log.end();
      resolve({ ok: code === 0, ms: Date.now() - t0 });
    });
  });
}

/** Builds poolcheck's images from one Debian release, all at once: each mostly waits on Debian's mirror. */
async function build(suite: Suite, only: readonly string[]): Promise<number> {
  await needDocker();
  const unknown = only.filter((c) => !imageComponents().includes(c));
  if (unknown.length) throw new UsageError(`unknown image "${unknown[0]}"; known: ${imageComponents().join(', ')}`);
  const components = (only.length ? only : imageComponents()).filter((c) => {
    if (!imageFolder(c)) {
      process.stderr.write(`poolcheck: no docker/${c}/Dockerfile: skipping ${c} (name an image with --image ${c}=IMAGE)\n`);
      return false;
    }
    if (!builtIn(c, suite)) {
      if (only.includes(c))
        throw new UsageError(`Debian ${suite} has no ${c} package: build it with --suite ${SUITES.filter((x) => builtIn(c, x)).join(' or ')}`);
      return false;
    }
    return true;
  });
  if (!imagePresent(baseImage(suite))) {
    throw new Error(
      `${baseImage(suite)} is not in the Docker engine: run \`poolcheck images bootstrap --suite ${suite}\` first (it makes it with debootstrap where no registry can be reached)`,
    );
  }
  const logs = mkdtempSync(path.join(os.tmpdir(), 'poolcheck-build-'));
  const t0 = Date.now();
  process.stderr.write(`poolcheck: building ${components.map((c) => builtImageTag(c, suite)).join(', ')} (logs in ${logs})\n`);
  const results = await Promise.all(
    components.map(async (c) => {
      const logFile = path.join(logs, `${c}.log`);
      const r = await buildOne(c, suite, imageFolder(c)!, logFile);
      const tag = builtImageTag(c, suite);
      if (!r.ok) {
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
        process.stderr.write(`poolcheck: building ${tag} FAILED after ${(r.ms / 1000).toFixed(1)} s; the end of ${logFile}:\n${tail}\n`);
        return false;
      }
      process.stdout.write(`${tag}: ${await imageVersionLine(tag, programOf(c))} (built in ${(r.ms / 1000).toFixed(1)} s)\n`);
      return true;
    }),
  );
  process.stderr.write(`poolcheck: images build --suite ${suite} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return results.every(Boolean) ? 0 : 2;
}

async function list(suite: Suite): Promise<number> {
  await needDocker();
  process.stdout.write(
    `${baseImage(suite)}: ${imagePresent(baseImage(suite)) ? 'present' : `missing (poolcheck images bootstrap --suite ${suite})`}\n`,
  );
  for (const c of imageComponents()) {
    const tag = builtImageTag(c, suite);
    const state = !imageFolder(c)
      ? 'no docker/ folder'
      : !builtIn(c, suite)
        ? `not packaged in Debian ${suite}`
        : imagePresent(tag)
          ? await imageVersionLine(tag, programOf(c))
          : `not built (poolcheck images build --suite ${suite})`;
    process.stdout.write(`${tag}: ${state}\n`);
  }
  return 0;
}
