// The scenario catalogue: every suites/<category>/*.ts file (default export: one scenario or a
// list) and every suites/cases/*.yaml case file, each checked once here, and the feature-map
// rows (suites/features.ts). Ids must be unique. The harness imports nothing from suites/: the
// catalogue reads it as data.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matchesId } from '../kernel/id-glob.ts';
import { loadCaseFile } from './case-file.ts';
import type { Feature } from './feature.ts';
import { CATEGORIES, type Scenario, type ScenarioSpec } from './model.ts';
import { checkScenario } from './validate.ts';

export const SUITES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../suites');

/** A scenario that did not pass the load-time check: every run of it is an `error` saying why. */
export interface BrokenScenario {
  readonly id: string;
  readonly category: string;
  readonly source: string;
  readonly problems: readonly string[];
}

export interface Catalog {
  readonly scenarios: readonly Scenario[];
  readonly broken: readonly BrokenScenario[];
  readonly features: readonly Feature[];
}

export async function loadCatalog(dir = SUITES_DIR): Promise<Catalog> {
  const scenarios: Scenario[] = [];
  const broken: BrokenScenario[] = [];
  for (const category of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const folder = path.join(dir, category);
    for (const file of readdirSync(folder).sort()) {
      const full = path.join(folder, file);
      const source = path.relative(path.dirname(dir), full);
      if (/\.ya?ml$/.test(file)) scenarios.push(...loadCaseFile(full, source));
      else if (file.endsWith('.ts')) {
        const mod = (await import(pathToFileURL(full).href)) as { default?: ScenarioSpec | ScenarioSpec[] };
        if (!mod.default) throw new Error(`${source}: no default export (a scenario or a list of them)`);
        const text = readFileSync(full, 'utf8');
        for (const spec of ([] as ScenarioSpec[]).concat(mod.default)) {
          const where = `${source}${lineOf(text, spec.id)}`;
          const checked = checkScenario(spec, where);
          if (checked.ok) scenarios.push(checked.scenario);
          else broken.push({ id: spec.id, category: spec.category, source: where, problems: checked.problems });
        }
      }
    }
  }
  // Grouped by category (in the model's order), file order within it: reports read top-down.
  scenarios.sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  const seen = new Map<string, string>();
  for (const s of [...scenarios, ...broken]) {
    if (seen.has(s.id)) throw new Error(`scenario id ${s.id} is defined twice: ${seen.get(s.id)} and ${s.source}`);
    seen.set(s.id, s.source);
  }
  return { scenarios, broken, features: await loadFeatures(dir) };
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

/** Scenarios whose id matches any of the comma-separated globs (a bare category selects it whole). */
export function selectScenarios<T extends { readonly id: string }>(all: readonly T[], globs: string | undefined): T[] {
  if (!globs) return [...all];
  const patterns = globs.split(',').map((g) => g.trim()).filter(Boolean).map((g) => (g.includes('/') || g.includes('*') ? g : `${g}/**`));
  return all.filter((s) => patterns.some((p) => matchesId(s.id, p)));
}
