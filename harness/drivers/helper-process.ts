// One long-lived helper process serving many driver sessions over JSON lines on stdin/stdout
// (the protocol: shims/README.md). Requests carry ids and may be answered in any order;
// every request has a deadline. A helper that exits, or that misses a deadline and then does
// not answer a ping, is dead: every request in flight fails with the tail of its stderr, and
// its owner starts a new one for the next session.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { DeadlineError } from '../kernel/errors.ts';
import { settlesWithin } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';

export interface HelperCommand {
  /** For messages: "psycopg helper". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long the helper has to answer a ping after a request missed its deadline. */
  readonly pingTimeoutMs?: number;
}

/** What a helper answered: the op's result, and the session's driver state when it names one. */
export interface HelperReply {
  readonly result: Record<string, unknown>;
  readonly state?: {
    readonly pid?: number | null;
    readonly params?: Record<string, string>;
    /** SQLSTATEs of the notices the driver received since the session's previous reply. */
    readonly notices?: readonly string[];
  };
}

/**
 * The helper answered ok: false. `lost`: the driver says its connection is gone; `code`: the
 * server's SQLSTATE when the failure was the server's answer (a refused login).
 */
export class HelperOpError extends Error {
  constructor(
    message: string,
    readonly lost: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HelperOpError';
  }
}

/** The helper process died or stopped answering. */
export class HelperDeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperDeadError';
  }
}

interface Pending {
  readonly resolve: (r: HelperReply) => void;
  readonly reject: (e: Error) => void;
}

const STDERR_KEEP = 8192;

/** A server notice as libpq prints it ("WARNING:  ..."). */
const SERVER_NOTICE = /^(WARNING|NOTICE|INFO|DEBUG|LOG): {2}/;

const live = new Set<HelperProcess>();
let exitHookInstalled = false;

export class HelperProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = '';
  private stderrTail = '';
  private death: string | undefined;
  private pinging: Promise<boolean> | undefined;
  readonly exited: Promise<void>;

  private constructor(readonly cmd: HelperCommand) {
    // detached: a terminal's Ctrl-C reaches poolcheck only; its exit hook stops the helper.
    this.child = spawn(cmd.command, [...cmd.args], { cwd: cmd.cwd, env: cmd.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.die(`${cmd.name} could not be started (${cmd.command}): ${err.message}`);
        resolve();
      });
      // 'close', not 'exit': replies still in the stdout pipe are read first.
      this.child.on('close', (code, signal) => {
        this.die(`${cmd.name} (pid ${this.child.pid}) exited (${signal ?? `code ${code}`})`);
        resolve();
      });
    });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEEP);
    });
    this.child.stdin!.on('error', () => {
      /* the exit handler reports it */
    });
    // A helper never keeps poolcheck alive; the exit hook kills what is left.
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as Socket | null)?.unref?.();
    live.add(this);
    installExitHook();
  }

  static start(cmd: HelperCommand): HelperProcess {
    return new HelperProcess(cmd);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why it is dead, with its stderr; undefined while it serves. */
  failure(): string | undefined {
    return this.death;
  }

  /** The last lines the helper wrote to stderr. */
  stderr(): string {
    return this.stderrTail.trim().split('\n').slice(-15).join('\n');
  }

  /**
   * Sends one request and resolves with its result. Rejects with HelperOpError when the helper
   * answers ok: false, DeadlineError when no answer came in time (the helper still answers
   * pings), HelperDeadError when the helper is gone.
   */
  request(op: string, body: Record<string, unknown>, timeoutMs: number, what: string): Promise<HelperReply> {
    return this.send(op, body, timeoutMs, (reject) => {
      void this.checkAlive().then((alive) =>
        reject(
          alive
            ? new DeadlineError(`timed out after ${timeoutMs}ms waiting for ${what}`)
            : new HelperDeadError(`timed out after ${timeoutMs}ms waiting for ${what}: ${this.death}`),
        ),
      );
    });
  }

  private send(op: string, body: Record<string, unknown>, timeoutMs: number, onTimeout: (reject: (e: Error) => void) => void): Promise<HelperReply> {
    if (this.death) return Promise.reject(new HelperDeadError(this.death));
    const id = this.nextId++;
    return new Promise<HelperReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        onTimeout(reject);
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...body })}\n`);
    });
  }

  /** Closes stdin (a helper exits when it closes) and waits; kills it after `graceMs`. */
  async stop(graceMs: number = TIMEOUT_MS.helperStop): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin!.end();
      if (!(await settlesWithin(this.exited, graceMs))) {
        this.kill();
        await this.exited;
      }
    }
    live.delete(this);
  }

  kill(): void {
    try {
      this.child.kill('SIGKILL');
    } catch {
      /* gone already */
    }
  }

  /** After a missed deadline: is the helper still reading requests? If not, it is killed. */
  private checkAlive(): Promise<boolean> {
    if (this.death) return Promise.resolve(false);
    const pingMs = this.cmd.pingTimeoutMs ?? TIMEOUT_MS.helperPing;
    this.pinging ??= this.send('ping', {}, pingMs, (reject) => reject(new DeadlineError('no reply to a ping')))
      .then(
        () => true,
        (err: Error) => {
          if (err instanceof DeadlineError) {
            this.die(`${this.cmd.name} (pid ${this.child.pid}) stopped answering (no reply to a ping within ${pingMs}ms)`);
            this.kill();
          }
          return false;
        },
      )
      .finally(() => {
        this.pinging = undefined;
      });
    return this.pinging;
  }

  private die(reason: string): void {
    if (this.death) return;
    // libpq's default notice processor writes the server's notices to stderr: they say nothing
    // of why the helper died, and a server WARNING belongs in the server's log, not in a result.
    const tail = this.stderr()
      .split('\n')
      .filter((line) => !SERVER_NOTICE.test(line))
      .join('\n');
    this.death = tail ? `${reason}; its stderr ends with:\n${tail}` : `${reason}; it wrote nothing to stderr`;
    live.delete(this);
    for (const [, p] of this.pending) p.reject(new HelperDeadError(this.death));
    this.pending.clear();
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let msg: {
      id?: unknown;
      ok?: unknown;
      result?: unknown;
      error?: { message?: unknown; lost?: unknown; code?: unknown };
      state?: HelperReply['state'];
    };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      // Not ours (a library printing to stdout): keep it where the stderr tail shows it.
      this.stderrTail = `${this.stderrTail}[stdout] ${line}\n`.slice(-STDERR_KEEP);
      return;
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    // A reply to a request that already missed its deadline has no one waiting.
    if (!p) return;
    this.pending.delete(msg.id as number);
    if (msg.ok === true) p.resolve({ result: (msg.result ?? {}) as Record<string, unknown>, state: msg.state });
    else
      p.reject(
        new HelperOpError(
          typeof msg.error?.message === 'string' ? msg.error.message : 'the helper gave no reason',
          msg.error?.lost === true,
          typeof msg.error?.code === 'string' ? msg.error.code : undefined,
        ),
      );
  }
}

/** Stops every helper still running (used at the end of a run and by tests). */
export async function stopHelpers(): Promise<void> {
  await Promise.all([...live].map((h) => h.stop()));
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Nothing async runs in 'exit' (reached on return, on process.exit() from the SIGINT/SIGTERM
  // handlers in targets/processes.ts, and on an uncaught exception): kill outright. A helper
  // whose poolcheck was SIGKILLed sees its stdin close and exits by itself.
  process.on('exit', () => {
    for (const h of live) h.kill();
  });
}
