// poolcheck.config.json (in the working directory, or --config FILE) names the binaries to
// test and default lists, so a pooler's CI can commit it instead of repeating flags:
//   { "pgBinDir": "/usr/lib/postgresql/15/bin", "poolers": { "pgbouncer": "./pgbouncer" },
//     "targets": "direct,pgbouncer:transaction", "drivers": "raw,pg", "scenarios": "cancel/*" }
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './args.ts';

export interface FileConfig {
  readonly pgBinDir?: string;
  readonly poolers?: Readonly<Record<string, string>>;
  readonly targets?: string;
  readonly drivers?: string;
  readonly scenarios?: string;
  readonly out?: string;
}

const KEYS = ['pgBinDir', 'poolers', 'targets', 'drivers', 'scenarios', 'out'];

export function loadConfig(explicit: string | undefined): FileConfig {
  const file = explicit ?? (existsSync('poolcheck.config.json') ? 'poolcheck.config.json' : undefined);
  if (!file) return {};
  if (!existsSync(file)) throw new UsageError(`config file ${file} does not exist`);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  for (const k of Object.keys(data)) if (!KEYS.includes(k)) throw new UsageError(`${file}: unknown key "${k}"; known: ${KEYS.join(', ')}`);
  // Paths in the file are relative to the file.
  const rel = (p: unknown) => (typeof p === 'string' ? path.resolve(path.dirname(file), p) : undefined);
  const poolers = Object.fromEntries(Object.entries((data.poolers as Record<string, string>) ?? {}).map(([k, v]) => [k, rel(v)!]));
  return { ...(data as FileConfig), pgBinDir: rel(data.pgBinDir), poolers };
}
