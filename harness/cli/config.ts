// poolcheck.config.json (in the working directory, or --config FILE) holds defaults for the
// options whose table entry names a config key, so a pooler's CI can commit it instead of
// repeating flags:
//   { "pgBinDir": "/usr/lib/postgresql/15/bin", "poolers": { "pgbouncer": "./pgbouncer" },
//     "targets": "direct,pgbouncer:transaction", "drivers": ["raw", "pg"], "scenarios": "cancel/*" }
// Paths in the file are relative to the file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readValue, type Value } from './args.ts';
import { UsageError } from '../kernel/errors.ts';
import { OPTION_NAMES, OPTIONS, type OptionName } from './options.ts';

export const DEFAULT_CONFIG = 'poolcheck.config.json';

/** The config key of each option that has one, e.g. "targets", "poolers.pgbouncer". */
const KEYED = new Map(OPTION_NAMES.flatMap((n) => (OPTIONS[n].config ? [[OPTIONS[n].config, n] as const] : [])));

export function loadConfig(explicit: string | undefined): Map<OptionName, Value> {
  const file = explicit ?? (existsSync(DEFAULT_CONFIG) ? path.resolve(DEFAULT_CONFIG) : undefined);
  const out = new Map<OptionName, Value>();
  if (!file) return out;
  if (!existsSync(file)) throw new UsageError(`config file ${file} does not exist`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file}: expected a JSON object of options`);
  const known = [...new Set([...KEYED.keys()].map((k) => k.split('.')[0]))];
  for (const [key, value] of Object.entries(data)) {
    const nested = [...KEYED.keys()].some((k) => k.startsWith(`${key}.`));
    if (nested) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${file}: "${key}" must be an object`);
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) set(out, file, `${key}.${sub}`, v);
    } else if (KEYED.has(key)) {
      set(out, file, key, value);
    } else {
      throw new UsageError(`${file}: unknown key "${key}"; known: ${known.join(', ')}`);
    }
  }
  return out;
}

function set(out: Map<OptionName, Value>, file: string, key: string, value: unknown): void {
  const name = KEYED.get(key);
  if (!name) throw new UsageError(`${file}: unknown key "${key}"; known: ${[...KEYED.keys()].filter((k) => k.startsWith(key.split('.')[0])).join(', ')}`);
  out.set(name, readValue(`${file}: "${key}"`, OPTIONS[name], [value], path.dirname(file)));
}
