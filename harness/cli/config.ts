// poolcheck's config file holds defaults for the options whose table entry names a config key,
// so a pooler's CI can commit it instead of repeating flags. JSON (poolcheck.config.json):
//   { "pgBinDir": "/usr/lib/postgresql/15/bin", "poolers": { "pgbouncer": "./pgbouncer" },
//     "targets": "direct,pgbouncer:transaction", "drivers": ["raw", "pg"], "scenarios": "cancel/*" }
// or a module whose default export is the same object (poolcheck.config.ts, typed with
// defineConfig from 'poolcheck'; .mts, .js and .mjs too). Found in the working directory, or
// named with --config FILE. Paths in it are relative to the file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readValue, type Value } from './args.ts';
import { UsageError } from '../kernel/errors.ts';
import { OPTION_NAMES, OPTIONS, type OptionName } from './options.ts';

/** Looked for in the working directory, in this order; two of them at once is a mistake. */
export const CONFIG_FILES = [
  'poolcheck.config.json',
  'poolcheck.config.ts',
  'poolcheck.config.mts',
  'poolcheck.config.js',
  'poolcheck.config.mjs',
] as const;

/** The config key of each option that has one, e.g. "targets", "poolers.pgbouncer". */
const KEYED = new Map(OPTION_NAMES.flatMap((n) => (OPTIONS[n].config ? [[OPTIONS[n].config, n] as const] : [])));

function configFile(explicit: string | undefined): string | undefined {
  if (explicit) {
    if (!existsSync(explicit)) throw new UsageError(`config file ${explicit} does not exist`);
    return explicit;
  }
  const found = CONFIG_FILES.filter((f) => existsSync(f));
  if (found.length > 1) throw new UsageError(`${found.join(' and ')} are both here: keep one config file (or name one with --config)`);
  return found.length ? path.resolve(found[0]) : undefined;
}

/** The file's data: JSON, or a module's default export (TypeScript through tsx's scoped loader, as a case module is). */
async function readConfig(file: string): Promise<unknown> {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!/\.([cm]?ts|[cm]?js)$/i.test(file))
    throw new UsageError(`${file}: a config file is .json, or a module (.ts, .mts, .js, .mjs) whose default export is the config`);
  let mod: { default?: unknown };
  try {
    const url = pathToFileURL(file).href;
    mod = (/\.[cm]?ts$/i.test(file) ? await (await import('tsx/esm/api')).tsImport(url, import.meta.url) : await import(url)) as {
      default?: unknown;
    };
  } catch (e) {
    throw new UsageError(`${file}: cannot load the module: ${(e as Error).message.split('\n')[0]}`);
  }
  // A .ts config in a CommonJS package is compiled to CommonJS: its default export is one level down.
  const d = mod.default as { __esModule?: unknown; default?: unknown } | undefined;
  const data = d && typeof d === 'object' && d.__esModule === true ? d.default : d;
  if (data === undefined) throw new UsageError(`${file}: no default export (export default defineConfig({ ... }))`);
  return data;
}

export async function loadConfig(explicit: string | undefined): Promise<Map<OptionName, Value>> {
  const out = new Map<OptionName, Value>();
  const file = configFile(explicit);
  if (!file) return out;
  const data = await readConfig(file);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file}: expected an object of options`);
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
  if (!name)
    throw new UsageError(`${file}: unknown key "${key}"; known: ${[...KEYED.keys()].filter((k) => k.startsWith(key.split('.')[0])).join(', ')}`);
  out.set(name, readValue(`${file}: "${key}"`, OPTIONS[name], [value], path.dirname(file)));
}
