// Helpers written in a compiled language (Go, Rust) are built once and kept: a folder per
// helper, named after a hash of its sources and of the toolchain and library versions, under
// the user's cache folder. A run whose hash has a folder starts at once; the first run after a
// change (or after an apt upgrade of the library) builds, while the targets start. Two runs
// building at once each build into a folder of their own and the first to finish keeps its.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';

/** One command of a build, run in the build folder. */
export interface BuildStep {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface HelperBuild {
  /** Names the cache folder and the messages: "pgx-helper". */
  readonly id: string;
  /** The helper's source files; their contents go into the hash. */
  readonly sources: readonly string[];
  /** Anything else the binary depends on (toolchain and library versions), for the hash. */
  fingerprint(): string;
  /** The commands that build `binary` into the (empty, new) folder they are given. */
  steps(outDir: string): readonly BuildStep[];
  /** The file the steps leave in the folder. */
  readonly binary: string;
}

/** Where built helpers are kept: $XDG_CACHE_HOME/poolcheck/helpers, else ~/.cache/poolcheck/helpers. */
export function helperCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'poolcheck', 'helpers');
}

/** The hash a build's folder is named after. */
export function buildKey(b: HelperBuild): string {
  const h = createHash('sha256').update(b.id).update('\0').update(b.fingerprint());
  for (const file of b.sources) h.update('\0').update(path.basename(file)).update('\0').update(readFileSync(file));
  return h.digest('hex').slice(0, 16);
}

const building = new Map<string, Promise<string>>();

/** The path of the built helper, building it first when no folder has it yet. */
export function compiledHelper(b: HelperBuild): Promise<string> {
  const dir = path.join(helperCacheDir(), `${b.id}-${buildKey(b)}`);
  const binary = path.join(dir, b.binary);
  if (existsSync(binary)) return Promise.resolve(binary);
  let pending = building.get(dir);
  if (!pending) {
    pending = build(b, dir).then(() => binary);
    building.set(dir, pending);
    void pending.catch(() => building.delete(dir));
  }
  return pending;
}

async function build(b: HelperBuild, dir: string): Promise<void> {
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.building-${process.pid}-${randomBytes(3).toString('hex')}`;
  mkdirSync(tmp);
  try {
    for (const step of b.steps(tmp)) await run(b.id, step, tmp);
    if (!existsSync(path.join(tmp, b.binary))) throw new Error(`building ${b.id} left no ${b.binary}`);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run finished the same build first: its folder is as good as this one.
      if (!existsSync(path.join(dir, b.binary))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function run(id: string, step: BuildStep, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, [...step.args], { cwd, env: { ...process.env, ...step.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS.helperBuild);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`building ${id}: ${step.command} could not be started: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `building ${id}: ${step.command} ${step.args.join(' ')} failed (${signal ?? `code ${code}`}): ${output.trim().split('\n').slice(-12).join('\n')}`,
          ),
        );
    });
  });
}
