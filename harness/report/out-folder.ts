// The --out folder of a run. A run never loses what it gathered and never leaves a report half
// written over the last good one:
//  - it takes the folder with a lock file, so a second run on the same folder is refused;
//  - it writes every result to a journal in a staging folder of its own as the result arrives;
//  - it writes the reports into that staging folder, and only then moves them over the
//    previous ones; an interrupted run does the same with what it finished.
// A run killed outright (SIGKILL) leaves its staging folder, journal included; the next run on
// the folder says where it is and leaves it alone.
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { ScenarioRun } from '../scenario/result.ts';

/** What a run puts in its out folder; everything else there is left alone. */
const REPORT_ENTRIES = [
  'results.json',
  'junit.xml',
  'summary.md',
  'feature-map.md',
  'report.html',
  'diff.md',
  'shard.json',
  'transcripts',
  'logs',
] as const;
const LOCK = '.poolcheck-lock';

export class OutFolderError extends Error {}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Where a run's servers write their logs before the run publishes them (known before it starts). */
export const stagingFolder = (out: string, runId: string) => path.join(out, `.run-${runId}`);

export class OutFolder {
  readonly staging: string;
  private journal: number | undefined;
  private journalProblem: string | undefined;
  /** Runs killed before they could publish, whose journals are still here. */
  readonly orphans: readonly string[];
  private recorded = 0;
  /** Results in the journal, and its length once they are: a failed write is cut back to it. */
  private journaled = 0;
  private journalBytes = 0;

  private constructor(
    readonly out: string,
    runId: string,
    private readonly warn: (line: string) => void,
  ) {
    this.staging = stagingFolder(out, runId);
    this.orphans = readdirSync(out)
      .filter((f) => f.startsWith('.run-') && f !== path.basename(this.staging))
      .map((f) => path.join(out, f));
  }

  /** Takes the folder for this run, before anything starts: every problem with it is found here. */
  static open(out: string, runId: string, warn: (line: string) => void): OutFolder {
    const where = `--out ${out}`;
    try {
      if (existsSync(out) && !statSync(out).isDirectory()) throw new OutFolderError(`${where} is a file, not a folder`);
      mkdirSync(out, { recursive: true });
      takeLock(out);
    } catch (err) {
      if (err instanceof OutFolderError) throw err;
      throw new OutFolderError(`${where} cannot be written: ${(err as Error).message}`);
    }
    const folder = new OutFolder(out, runId, warn);
    try {
      mkdirSync(path.join(folder.staging, 'logs'), { recursive: true });
      folder.journal = openSync(path.join(folder.staging, 'journal.jsonl'), 'a');
    } catch (err) {
      folder.close();
      throw new OutFolderError(`${where} cannot be written: ${(err as Error).message}`);
    }
    return folder;
  }

  get logDir(): string {
    return path.join(this.staging, 'logs');
  }

  get journalFile(): string {
    return path.join(this.staging, 'journal.jsonl');
  }

  /**
   * Why the run must stop (a full disk): the journal's write error; undefined while every write
   * went through. It names no path: the staging folder is gone once the reports are published.
   */
  get writeFailure(): string | undefined {
    return this.journalProblem;
  }

  /**
   * Appends a result to the journal. A failure (a full disk) is said at once, with the file; the
   * journal is cut back to its last whole result, so it keeps every result written before, and
   * nothing more is written to it: the run is to stop (writeFailure).
   */
  record(r: ScenarioRun): void {
    if (this.journal === undefined || this.journalProblem) return;
    this.recorded++;
    const line = Buffer.from(`${JSON.stringify(r)}\n`);
    try {
      // writeSync may write part of a line and then fail: the rest is tried until it fails.
      for (let done = 0; done < line.length;) done += writeSync(this.journal, line, done);
      this.journalBytes += line.length;
      this.journaled++;
    } catch (err) {
      try {
        ftruncateSync(this.journal, this.journalBytes);
      } catch {
        /* a reader skips a torn last line */
      }
      this.journalProblem = `the journal could not be written: ${(err as Error).message}`;
      this.warn(
        `cannot write ${this.journalFile}: ${(err as Error).message}; the run stops: the ${this.journaled} result(s) written before are kept in it`,
      );
    }
  }

  /**
   * Writes the reports with `write` into the staging folder, then puts them in place of the
   * previous ones. On failure the previous reports stay as they were.
   */
  publish(write: (dir: string) => void): void {
    const fresh = path.join(this.staging, 'report');
    const old = path.join(this.staging, 'previous');
    try {
      mkdirSync(fresh, { recursive: true });
      // The logs first: report.html links each target's logs, found where they will be (after a
      // failed attempt to publish they are there already).
      if (existsSync(this.logDir)) renameSync(this.logDir, path.join(fresh, 'logs'));
      write(fresh);
    } catch (err) {
      throw new OutFolderError(
        `could not write the reports in ${fresh}: ${(err as Error).message}; the previous reports in ${this.out} are untouched; this run's ${this.journaled} journaled result(s) are in ${this.journalFile}${existsSync(path.join(fresh, 'logs')) ? `, and the servers' logs (named above as in ${path.join(this.out, 'logs')}) in ${path.join(fresh, 'logs')}` : ''}`,
      );
    }
    mkdirSync(old, { recursive: true });
    for (const entry of REPORT_ENTRIES) {
      if (existsSync(path.join(this.out, entry))) renameSync(path.join(this.out, entry), path.join(old, entry));
      if (existsSync(path.join(fresh, entry))) renameSync(path.join(fresh, entry), path.join(this.out, entry));
    }
  }

  /** Gives the folder back after the reports are in place: the staging folder and the lock go. */
  close(): void {
    this.release();
    rmSync(this.staging, { recursive: true, force: true });
  }

  /**
   * Gives the folder back, keeping the staging folder when it holds results (a run that failed
   * keeps its journal there); a run that stopped before its first result leaves nothing behind.
   */
  release(): void {
    if (this.journal !== undefined) closeSync(this.journal);
    this.journal = undefined;
    if (!this.recorded) rmSync(this.staging, { recursive: true, force: true });
    rmSync(path.join(this.out, LOCK), { force: true });
  }
}

function takeLock(out: string): void {
  const lock = path.join(out, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8').trim()) || 0;
      if (holder && alive(holder))
        throw new OutFolderError(`--out ${out} is being written by another poolcheck run (pid ${holder}); give this run another --out`);
      // Left by a run that was killed.
      rmSync(lock, { force: true });
    }
  }
  throw new OutFolderError(`--out ${out}: could not take ${lock}`);
}
