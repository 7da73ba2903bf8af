import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { poll } from '../../harness/kernel/poll.ts';
import { STATE_ROOT } from '../../harness/targets/state-root.ts';
import { tempDir } from '../temp-dir.ts';
import { readResults, type ResultsDoc } from './verdicts.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'bin/poolcheck.js');

export interface CliRun {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Resolves when stderr matches, fails with what it waited for at the deadline. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
}

/** `group`: poolcheck leads a process group of its own, as a terminal's job does (for signals to the group). */
export function startCli(args: string[], env: Record<string, string> = {}, opts: { group?: boolean } = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group ?? false,
  });
  const run: CliRun = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    waitFor(pattern, ms) {
      return poll(
        {
          what: `${pattern} in poolcheck's stderr`,
          timeoutMs: ms,
          maxIntervalMs: 50,
          seen: () => `\n${run.stderr}`,
          abort: () => (child.exitCode !== null ? `poolcheck exited (${child.exitCode}) before printing ${pattern}:\n${run.stderr}` : undefined),
        },
        () => run.stderr.match(pattern) ?? undefined,
      );
    },
  };
  child.stdout.on('data', (d) => {
    run.stdout += d;
  });
  child.stderr.on('data', (d) => {
    run.stderr += d;
  });
  return run;
}

/** Pids of live processes whose command line names `needle` (e.g. a run's state folder). */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** What each process runs, for a failure message (a process gone meanwhile is left out). */
export function commandLines(pids: readonly number[]): string[] {
  return pids.flatMap((pid) => {
    try {
      return [`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`];
    } catch {
      return [];
    }
  });
}

export const runDir = (runId: string) => path.join(STATE_ROOT, runId);

export async function eventually(what: string, ms: number, cond: () => boolean): Promise<void> {
  await poll({ what, timeoutMs: ms, maxIntervalMs: 50 }, () => (cond() ? true : undefined));
}

/** Polls an asynchronous condition until it holds; fails with what it waited for at the deadline. */
export async function waitUntil(what: string, ms: number, cond: () => Promise<boolean>): Promise<void> {
  await poll({ what, timeoutMs: ms }, async () => ((await cond()) ? true : undefined));
}

/**
 * A run of the case files in `dir` alone (`--cases dir --scenarios cases:dir`), one lane, on
 * `targets` with `drivers`: its exit code, its stderr and its results.
 */
export async function runCases(
  dir: string,
  targets: string,
  drivers: string,
): Promise<{ code: number | null; stderr: string; results: ResultsDoc['results'] }> {
  const out = tempDir('pc-cases-');
  const run = startCli([
    'run',
    '--targets',
    targets,
    '--drivers',
    drivers,
    '--cases',
    dir,
    '--scenarios',
    `cases:${dir}`,
    '--lanes',
    '1',
    '--out',
    out,
  ]);
  const code = await run.exited;
  return { code, stderr: run.stderr, results: readResults(out).results };
}
