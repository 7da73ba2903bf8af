// PostgreSQL's own log, read for what only it can tell: that a backend crashed. The postmaster
// logs "client backend (PID n) was terminated by signal s: ..." (PostgreSQL 14 and later;
// "server process" before), the query it was running in a DETAIL line, and then restarts every
// backend (crash recovery). log_line_prefix '%m [%p] %q%u@%d ' and log_connections
// (postgres-cluster.ts) put each backend's pid beside its database, so a crash is traced to
// the lane, and the scenario, that set it off.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export interface BackendCrash {
  readonly pid: number;
  readonly signal: number;
  /** The database the backend served, where its log lines say. */
  readonly database?: string;
  /** The log lines about it: the termination, the query it was running, the restart. */
  readonly lines: readonly string[];
  /** In words, without the pid and times that differ from run to run: "signal 11: Segmentation fault, running: CLOSE c". */
  readonly summary: string;
}

const TERMINATED = /\((?:PID) (\d+)\) was terminated by signal (\d+)/;

/**
 * The signals a process gets for its own fault (SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
 * SIGSEGV, SIGSYS). SIGKILL and SIGTERM come from outside (someone, the OOM killer): PostgreSQL
 * restarts all the same, but the traffic did not crash it, and that is an infrastructure fault.
 */
const FAULT_SIGNALS = new Set([4, 5, 6, 7, 8, 11, 31]);

/** The crashes a piece of the log tells of, each with the database its backend served. */
export function crashesIn(text: string): BackendCrash[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => {
    const m = TERMINATED.exec(line);
    if (!m || !FAULT_SIGNALS.has(Number(m[2]))) return [];
    const pid = Number(m[1]);
    // Before authentication the prefix reads [unknown]@[unknown]; a later line names the database.
    const database = lines.map((l) => (l.includes(`[${pid}] `) ? /\] \S*@(\S+) /.exec(l)?.[1] : undefined)).find((d) => d && d !== '[unknown]');
    const detail = lines
      .slice(i + 1, i + 4)
      .filter((l) => /DETAIL:|terminating any other active server processes|all server processes terminated/.test(l));
    const why = /terminated by (signal \d+(?:: .*)?)$/.exec(line)?.[1] ?? `signal ${m[2]}`;
    const running = detail.map((l) => /Failed process was running: (.*)$/.exec(l)?.[1]).find(Boolean);
    return [
      {
        pid,
        signal: Number(m[2]),
        ...(database ? { database } : {}),
        lines: [line, ...detail].map((l) => l.trim()),
        summary: `${why}${running ? `, running: ${running}` : ''}`,
      },
    ];
  });
}

/** A log file read from a mark on: where it ended when `mark()` was taken. */
export class LogTail {
  constructor(private readonly file: string) {}

  mark(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  since(offset: number): string {
    let fd: number | undefined;
    try {
      const size = statSync(this.file).size;
      if (size <= offset) return '';
      const buf = Buffer.alloc(size - offset);
      fd = openSync(this.file, 'r');
      readSync(fd, buf, 0, buf.length, offset);
      return buf.toString('utf8');
    } catch {
      return '';
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
