// The scenario catalogue: every suites/<category>/*.ts file (default export: one scenario or a
// list) and every suites/cases/*.yaml case file, then the case folders a user names (--cases:
// YAML case files and TypeScript modules, anywhere), each scenario checked once here, and the
// feature-map rows (suites/features.ts). Nothing a file holds stops the catalogue: a file that
// does not load, a scenario that is invalid or an id used twice is a broken scenario (an
// `error` in a run, INVALID in `poolcheck list`). The harness imports nothing from suites/: the
// catalogue reads it as data.
import { ANCHORS_FOLDER } from './anchors.ts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matchesId } from '../kernel/id-glob.ts';
import { settlesWithin } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { identity, loadCaseFile, type LoadedFile } from './case-file.ts';
import type { Feature } from './feature.ts';
import { CATEGORIES, type BrokenScenario, type Origin, type Scenario } from './model.ts';
import { checkScenario, problemText } from './validate.ts';

export const SUITES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../suites');

export interface Catalog {
  readonly scenarios: readonly Scenario[];
  readonly broken: readonly BrokenScenario[];
  /** Checks that cannot fail where the bug exists, one line each naming where (`file:line:col: warning: ...`). */
  readonly warnings: readonly string[];
  readonly features: readonly Feature[];
}

const CASE_FILE = /\.ya?ml$/;
// A module in a case folder: TypeScript (tsx loads it) or JavaScript, not a declaration file.
const MODULE = /^(?!.*\.d\.[cm]?ts$).*\.([cm]?ts|[cm]?js)$/;
const TYPESCRIPT = /\.[cm]?ts$/;

/**
 * A module whose loading did not finish by its deadline (a top-level await that never settles).
 * Its code may still be running in this process, and nothing can stop it there: the command
 * ends, naming the file, rather than run beside it or hang without a word.
 */
export class ModuleLoadTimeout extends Error {
  override readonly name = 'ModuleLoadTimeout';
}

export interface CatalogOptions {
  /** How long a module may take to load (a test need not wait the real deadline). */
  readonly moduleLoadMs?: number;
  /** --strict: a weak check (weak-checks.ts) makes its scenario broken, not only a warning. */
  readonly strict?: boolean;
}

/**
 * A case folder's TypeScript goes through tsx's own loader, scoped to that import: the user
 * need not have tsx, and poolcheck's package runs compiled JavaScript with no loader of its own.
 */
async function importModule(file: string, origin: Origin): Promise<{ default?: unknown }> {
  if (origin.shipped || !TYPESCRIPT.test(file)) return import(pathToFileURL(file).href) as Promise<{ default?: unknown }>;
  // Imported when needed, and as an ES module: tsx's CommonJS build cannot start its loader on Node 20.
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(pathToFileURL(file).href, import.meta.url) as Promise<{ default?: unknown }>;
}

/**
 * The module's default export. A .ts case in a CommonJS package (`npm init -y` writes no "type")
 * is compiled to CommonJS with `exports.default` and the __esModule mark, and import() hands
 * that exports object over as the default: the scenario is one level down.
 */
function defaultExport(mod: { default?: unknown }): unknown {
  const d = mod.default as { __esModule?: unknown; default?: unknown } | undefined;
  return d && typeof d === 'object' && d.__esModule === true ? d.default : d;
}

/** A suite module: its default export, one scenario or a list, each checked. */
async function loadModule(file: string, source: string, origin: Origin, opts: CatalogOptions): Promise<LoadedFile> {
  const unloadable = (why: string): LoadedFile => ({
    scenarios: [],
    broken: [{ id: source, category: 'invalid', source, problems: [`${source}: ${why}`], origin, anonymous: true }],
    warnings: new Map(),
  });
  let mod: { default?: unknown };
  try {
    const loading = importModule(file, origin);
    const ms = opts.moduleLoadMs ?? TIMEOUT_MS.moduleLoad;
    if (!(await settlesWithin(loading, ms))) {
      throw new ModuleLoadTimeout(
        `${source}: the module did not finish loading within ${ms / 1000} s (a top-level await that never settles?); poolcheck stops, as its code may still be running`,
      );
    }
    mod = await loading;
  } catch (e) {
    if (e instanceof ModuleLoadTimeout) throw e;
    const message = (e as Error).message.split('\n')[0];
    return unloadable(`cannot load the module: ${message}`);
  }
  const exported = defaultExport(mod);
  if (exported === undefined) return unloadable('no default export (a scenario or a list of them)');
  const specs = ([] as unknown[]).concat(exported);
  const scenarios: Scenario[] = [];
  const broken: BrokenScenario[] = [];
  const warnings = new Map<Scenario, readonly string[]>();
  const text = readFileSync(file, 'utf8');
  specs.forEach((spec, i) => {
    // The line of its id, for annotations and junit (computed ids have none: the file stands).
    const id = (spec as { id?: unknown }).id;
    const where = typeof id === 'string' ? `${source}${lineOf(text, id)}` : source;
    const checked = checkScenario(spec, where, origin);
    if (checked.ok) {
      scenarios.push(checked.scenario);
      if (checked.warnings.length)
        warnings.set(
          checked.scenario,
          checked.warnings.map((p) => `${where}: warning: ${problemText(p)}`),
        );
      return;
    }
    broken.push({
      ...identity(spec, `${source}#${i + 1}`),
      source: where,
      origin,
      problems: checked.problems.map((p) => `${where}: ${problemText(p)}`),
    });
  });
  return { scenarios, broken, warnings };
}

/** `source` names the file in messages: relative to poolcheck's folder if shipped, else to the working folder. */
async function loadFile(file: string, origin: Origin, suites: string, opts: CatalogOptions): Promise<LoadedFile> {
  const source = path.relative(origin.shipped ? path.dirname(suites) : process.cwd(), file) || file;
  return CASE_FILE.test(file) ? loadCaseFile(file, source, origin) : loadModule(file, source, origin, opts);
}

/** A case folder's files, depth first in name order; `_name` and `.name` (helpers, hidden) and node_modules are left out. */
function caseFolderFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => {
      if (d.name.startsWith('_') || d.name.startsWith('.') || d.name === 'node_modules') return [];
      const full = path.join(dir, d.name);
      if (d.isDirectory()) return caseFolderFiles(full);
      return CASE_FILE.test(d.name) || MODULE.test(d.name) ? [full] : [];
    });
}

/** poolcheck's own catalogue: suites/<category>/ files, in order. */
function shippedFiles(dir: string): Array<{ readonly file: string; readonly origin: Origin }> {
  // suites/anchors holds the poolers' own tests the catalogue is measured against (anchors.ts), not scenarios.
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== ANCHORS_FOLDER)
    .map((d) => d.name)
    .sort()
    .flatMap((category) => {
      const folder = path.join(dir, category);
      // .ts in a checkout, .js in the package (dist/suites, compiled).
      return readdirSync(folder)
        .sort()
        .filter((f) => CASE_FILE.test(f) || MODULE.test(f))
        .map((f) => ({ file: path.join(folder, f), origin: { shipped: true, folder } }));
    });
}

/** One definition of a scenario id, as loaded: valid (with its warnings) or broken. */
type Definition =
  | { readonly scenario: Scenario; readonly warnings: readonly string[]; readonly broken?: undefined }
  | { readonly broken: BrokenScenario; readonly scenario?: undefined };

const definedAt = (d: Definition) => (d.scenario ?? d.broken).source;

/**
 * An id defined more than once (in two case files, twice in one, or a case reusing a shipped
 * id) is one broken scenario, naming every place: which one a run or a profile means cannot be
 * told, and two results under one id would be one row of every report twice.
 */
function definedTwice(id: string, defs: readonly Definition[]): BrokenScenario {
  const shown = (d: Definition) => d.scenario ?? d.broken;
  const last = shown(defs[defs.length - 1]);
  const first = shown(defs[0]);
  const earlier = defs.slice(0, -1).map(definedAt);
  return {
    id,
    category: first.category,
    source: last.source,
    origin: last.origin,
    problems: [
      `${last.source}: scenario id ${id} is already defined in ${earlier.join(' and ')}: ids must be unique, so none of them runs (rename one)`,
    ],
  };
}

/**
 * The shipped catalogue in `dir`, then the scenarios of each case folder in `caseFolders`
 * (absolute paths; the CLI checks that they exist).
 */
export async function loadCatalog(dir = SUITES_DIR, caseFolders: readonly string[] = [], opts: CatalogOptions = {}): Promise<Catalog> {
  const files = [
    ...shippedFiles(dir),
    ...caseFolders.flatMap((folder) => caseFolderFiles(folder).map((file) => ({ file, origin: { shipped: false, folder } }))),
  ];
  const byId = new Map<string, Definition[]>();
  const anonymous: BrokenScenario[] = [];
  for (const { file, origin } of files) {
    const loaded = await loadFile(file, origin, dir, opts);
    for (const s of loaded.scenarios) {
      const lines = loaded.warnings.get(s) ?? [];
      // Under --strict a check that cannot fail is an error: the scenario does not run.
      const def: Definition =
        opts.strict && lines.length
          ? {
              broken: {
                id: s.id,
                category: s.category,
                source: s.source,
                origin: s.origin,
                problems: lines.map((l) => l.replace(': warning: ', ': error (--strict): ')),
              },
            }
          : { scenario: s, warnings: lines };
      byId.set(s.id, [...(byId.get(s.id) ?? []), def]);
    }
    for (const b of loaded.broken) {
      if (b.anonymous) anonymous.push(b);
      else byId.set(b.id, [...(byId.get(b.id) ?? []), { broken: b }]);
    }
  }
  const scenarios: Scenario[] = [];
  const broken: BrokenScenario[] = [...anonymous];
  const warnings: string[] = [];
  for (const [id, [def, ...more]] of byId) {
    if (more.length) broken.push(definedTwice(id, [def, ...more]));
    else if (def.scenario) {
      scenarios.push(def.scenario);
      warnings.push(...def.warnings);
    } else broken.push(def.broken);
  }
  // Grouped by category (in the model's order), file order within it: reports read top-down.
  scenarios.sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  return { scenarios, broken, warnings, features: await loadFeatures(dir) };
}

/**
 * ':line' of the id's literal in a suite file, so that a CI annotation points at the scenario;
 * empty when the id is computed rather than written out.
 */
function lineOf(text: string, id: string): string {
  const at = ["'", '"', '`'].map((q) => text.indexOf(`${q}${id}${q}`)).find((i) => i >= 0);
  return at === undefined ? '' : `:${text.slice(0, at).split('\n').length}`;
}

async function loadFeatures(dir: string): Promise<readonly Feature[]> {
  const file = path.join(dir, 'features.ts');
  if (!existsSync(file)) return [];
  const mod = (await import(pathToFileURL(file).href)) as { features?: readonly Feature[] };
  return mod.features ?? [];
}

/** `cases:DIR` or `cases:NAME`: every scenario loaded from that folder (by path, or by the folder's own name). */
const CASES_SELECTOR = 'cases:';

// A folder that exists at that path (from the working folder) is meant by path: `cases:cases` in a
// pooler's repository is its own ./cases, not poolcheck's suites/cases. Otherwise by its name.
const fromFolder = (origin: Origin, folder: string) => {
  const full = path.resolve(folder);
  return existsSync(full) && statSync(full).isDirectory() ? origin.folder === full : path.basename(origin.folder) === folder;
};

/**
 * Categories a run takes only when --scenarios names them: load that is not for every commit,
 * and PostgreSQL's own bugs (a crash on some releases would fail every run on them).
 */
export const OPT_IN_CATEGORIES: readonly string[] = ['stress', 'postgres-bugs'];

/** Whether one selector (a glob, a bare category, or cases:DIR / cases:NAME) takes the scenario. */
function selects(s: { readonly id: string; readonly origin: Origin }, token: string): boolean {
  if (token.startsWith(CASES_SELECTOR)) return fromFolder(s.origin, token.slice(CASES_SELECTOR.length));
  return matchesId(s.id, token.includes('/') || token.includes('*') ? token : `${token}/**`);
}

/**
 * Scenarios that any of the comma-separated selectors takes (a glob over ids, a bare category,
 * or `cases:DIR` / `cases:NAME`) and no `!selector` leaves out; with exclusions alone, the
 * default selection less them (`'cancel,!cancel/own-*'`, `'!stress'`). A broken scenario whose
 * id could not be read is always selected: nothing can tell that the selection leaves it out.
 */
export function selectScenarios<T extends { readonly id: string; readonly origin: Origin; readonly anonymous?: true }>(
  all: readonly T[],
  globs: string | undefined,
): T[] {
  const tokens = (globs ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const excluded = tokens.filter((t) => t.startsWith('!')).map((t) => t.slice(1).trim());
  const included = tokens.filter((t) => !t.startsWith('!'));
  const base = included.length
    ? all.filter((s) => s.anonymous || included.some((t) => selects(s, t)))
    : all.filter((s) => s.anonymous || !OPT_IN_CATEGORIES.includes(s.id.split('/')[0]));
  return base.filter((s) => s.anonymous || !excluded.some((t) => selects(s, t)));
}

/** A `cases:` selector that names no folder scenarios were loaded from, said in one line; or undefined. */
export function caseSelectorProblem(catalog: Pick<Catalog, 'scenarios' | 'broken'>, globs: string | undefined): string | undefined {
  const folders = [...new Set([...catalog.scenarios, ...catalog.broken].map((s) => s.origin.folder))];
  const caseFolders = folders.filter((f) => !f.startsWith(`${SUITES_DIR}${path.sep}`) || path.basename(f) === 'cases');
  for (const token of (globs ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((t) => t.startsWith(CASES_SELECTOR))) {
    const folder = token.slice(CASES_SELECTOR.length);
    if (!folders.some((f) => fromFolder({ shipped: false, folder: f }, folder))) {
      return `--scenarios ${token}: no scenario was loaded from a folder "${folder}"; case folders: ${caseFolders.map((f) => path.relative(process.cwd(), f) || '.').join(', ')} (add one with --cases DIR)`;
    }
  }
  return undefined;
}
