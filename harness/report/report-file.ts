// The one seam through which a run's reports reach the disk. Node's error for a failed write
// ("ENOSPC: no space left on device, write") does not say which file it was writing; a full disk
// must be reported with the file that could not be written.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class ReportFileError extends Error {
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    cause: Error,
  ) {
    super(`cannot write ${file}: ${cause.message}`, { cause });
  }
}

/** Writes `text` to `file` (its folder made first); a failure names the file. */
export function writeReportFile(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (err) {
    throw new ReportFileError(file, (err as NodeJS.ErrnoException).code, err as Error);
  }
}
