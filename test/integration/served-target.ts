// A target "already running somewhere", for the tests of --provider external: one target the
// local provider starts in another process (fixtures/serve-local-target.ts), known to the test
// only by its URLs and the password.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

export interface Where {
  host: string;
  port: number;
  database: string;
}
export interface Served {
  runId: string;
  user: string;
  pooled: Where;
  single: Where;
  direct: Where;
  poolerVersion: string;
}

export const url = (user: string, w: Where, database = w.database) => `postgres://${user}@${w.host}:${w.port}/${database}`;

/** Starts the fixture and resolves with where its target is, once it is up (with a deadline). */
export function serve(target: string, password: string): Promise<{ child: ChildProcess; served: Served }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test/integration/fixtures/serve-local-target.ts'), target, tempDir('pc-served-logs-')],
    {
      cwd: ROOT,
      env: { ...process.env, POOLCHECK_PASSWORD: password },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local ${target} did not come up within 60 s: ${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, served: JSON.parse(out.split('\n')[0]) });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fixture exited (${code}) before serving: ${err}`));
    });
  });
}

/** Closing its stdin makes the fixture stop its servers and exit. */
export async function stopServed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin!.end();
  await exited;
}
