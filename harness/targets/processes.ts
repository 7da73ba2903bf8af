// Every server poolcheck starts goes through here, so that every exit path stops it:
// normal return, an exception, Ctrl-C (SIGINT), SIGTERM, and, for a run that was killed
// with SIGKILL, the next run (leftovers are found through the run's state folder).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { settlesWithin } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { serverUser } from './server-user.ts';
import { isOwnRunFolder, stateRoot, unreachableBy, UnsafeStateRootError } from './state-root.ts';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  /** Why it stopped, if it did before we asked it to. */
  exitReason(): string | undefined;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  /** The signal that shuts this server down quickly (postgres: SIGINT = fast shutdown). */
  readonly stopSignal: NodeJS.Signals;
  readonly cwd?: string;
}

const live = new Set<{ child: ChildProcess; stop: () => Promise<void> }>();

const runStop = new AbortController();
/**
 * Aborted, with the signal's name as reason, the moment a signal stops the run, before any
 * server is stopped: from then on no server starts, and what fails as the servers go is no result.
 */
export const runStopped: AbortSignal = runStop.signal;

/**
 * SIGKILL for a server and every process it forked. Servers are spawned detached, so each leads
 * its own process group; pgpool-II's children outlive a killed parent (they do not watch for
 * it, unlike PostgreSQL's), so killing the leader's pid alone would leave them serving.
 */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
let stateDir: string | undefined;

/**
 * Something else poolcheck started that must not outlive it, such as containers: stopped with
 * the servers on every exit path. `kill` is the last resort from the 'exit' handler, where
 * nothing asynchronous runs any more.
 */
export interface ManagedResource {
  readonly name: string;
  stop(): Promise<void>;
  kill(): void;
}
const resources = new Set<ManagedResource>();

/** Registers a resource to stop with the servers; the returned function unregisters it. */
export function manageResource(resource: ManagedResource): () => void {
  resources.add(resource);
  return () => {
    resources.delete(resource);
  };
}

/** The run's private folder under STATE_ROOT; created once, owned by this process. */
export function runStateDir(runId: string): string {
  if (!stateDir) {
    const root = stateRoot();
    const user = serverUser();
    const blocked = user && unreachableBy(user);
    if (blocked) throw new UnsafeStateRootError(blocked);
    stateDir = path.join(root, runId);
    // Only this run's servers (which may run as another user) get in.
    mkdirSync(stateDir, { mode: 0o700 });
    writeFileSync(path.join(stateDir, 'owner'), String(process.pid));
    if (user) chownSync(stateDir, user.uid, user.gid);
    installSignalHandlers();
  }
  return stateDir;
}

export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  if (!stateDir) throw new Error('runStateDir() must be called before starting servers');
  // A server started now would miss the stop under way and live until the process exits.
  if (runStopped.aborted) throw new Error(`not started: the run is stopping (${String(runStopped.reason)})`);
  // The server writes its output straight into its log file: piped through poolcheck, every
  // line of a busy server's log (a pooler logging each connection) would cost this process.
  const log = openSync(opts.logFile, 'a');
  const user = serverUser();
  // detached: a terminal's Ctrl-C reaches poolcheck only, which then stops servers in order.
  let child: ChildProcess;
  try {
    child = spawn(opts.command, [...opts.args], {
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', log, log],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
  } finally {
    closeSync(log);
  }
  let exitReason: string | undefined;
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      exitReason = `could not start ${opts.command}: ${err.message}`;
      resolve(null);
    });
    child.on('exit', (code, signal) => {
      if (!stopping) exitReason = `${opts.name} exited (${signal ?? `code ${code}`}); see ${opts.logFile}`;
      resolve(code);
    });
  });
  if (child.pid) appendFileSync(path.join(stateDir, 'pids'), `${child.pid}\n`);
  const entry = {
    child,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(opts.stopSignal);
        if (!(await settlesWithin(exited, TIMEOUT_MS.processStop))) {
          killGroup(child.pid!);
          await exited;
        }
      }
      live.delete(entry);
    },
  };
  live.add(entry);
  void exited.then(() => live.delete(entry));
  return { name: opts.name, pid: child.pid ?? -1, exited, exitReason: () => exitReason, stop: entry.stop };
}

/** Stops every server still running (in parallel) and removes the run's state folder. */
export async function stopAll(): Promise<void> {
  await Promise.all([
    ...[...live].map((p) => p.stop()),
    ...[...resources].map(async (r) => {
      try {
        await r.stop();
      } catch (err) {
        process.stderr.write(`poolcheck: could not stop ${r.name}: ${(err as Error).message}\n`);
      }
      resources.delete(r);
    }),
  ]);
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  // The folder is gone: a later run in the same process (a test suite) starts a new one.
  stateDir = undefined;
}

const interruptHooks = new Set<(reason: string) => void>();

/**
 * Runs `hook` when the run is interrupted (a signal, or an output stream closed under it), after
 * the servers are stopped and before the process exits (the run writes what it finished). The
 * returned function unregisters it.
 */
export function onInterrupt(hook: (reason: string) => void): () => void {
  interruptHooks.add(hook);
  return () => {
    interruptHooks.delete(hook);
  };
}

let interrupting = false;

/**
 * Ends the run as an interrupted one: no server starts from now on, every server stops, the
 * hooks publish what finished, and the process exits with `code`. Only the first call acts: a
 * second reason met while stopping (stdout and stderr closed by the same reader) changes nothing.
 * `announce` is the line for stderr, when stderr can still take one.
 */
export function interruptRun(reason: string, code: number, announce?: string): void {
  if (interrupting) return;
  interrupting = true;
  if (announce) process.stderr.write(announce);
  runStop.abort(reason);
  void stopAll().finally(() => {
    for (const hook of interruptHooks) {
      try {
        hook(reason);
      } catch (err) {
        process.stderr.write(`poolcheck: ${(err as Error).message}\n`);
      }
    }
    process.exit(code);
  });
}

let handlersInstalled = false;
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // `on`, not `once`: a library's signal-exit hook (testcontainers loads one) re-sends the
  // signal to the process when it believes no other listener is left, which would kill
  // poolcheck in the middle of stopping. A second signal while stopping exits at once; the
  // 'exit' handler below still kills what is left.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      if (interrupting) process.exit(code);
      interruptRun(signal, code, `\npoolcheck: ${signal} received, stopping servers...\n`);
    });
  }
  // Last resort when the event loop is gone: nothing async runs in 'exit', so kill outright.
  process.on('exit', () => {
    for (const p of live) {
      if (p.child.pid) killGroup(p.child.pid);
    }
    for (const r of resources) {
      try {
        r.kill();
      } catch {
        /* the next run removes what is left */
      }
    }
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Removes what a killed earlier run left: its servers (only processes whose command line
 * still names that run's folder, so a reused pid is never hit) and its folder.
 * Returns how many processes were stopped.
 */
export function reapLeftovers(): number {
  const root = stateRoot();
  let killed = 0;
  for (const run of readdirSync(root)) {
    const dir = path.join(root, run);
    // Anything else in the folder (a link someone planted, another user's files) is left alone.
    if (!isOwnRunFolder(dir, serverUser()?.uid)) continue;
    const ownerFile = path.join(dir, 'owner');
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8').trim()) || 0 : 0;
    if (owner && alive(owner)) continue;
    const pids = existsSync(path.join(dir, 'pids')) ? readFileSync(path.join(dir, 'pids'), 'utf8').split('\n').filter(Boolean).map(Number) : [];
    for (const pid of pids) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!cmdline.includes(dir)) continue;
      killGroup(pid);
      killed++;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return killed;
}
