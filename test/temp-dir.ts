// Test output folders: made under the OS temp dir and removed when the test process exits
// (POOLCHECK_KEEP_TEST_OUTPUT=1 keeps them, to read a failed run's reports and transcripts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  if (process.env.POOLCHECK_KEEP_TEST_OUTPUT === '1') return;
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
