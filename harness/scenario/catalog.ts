// The scenario catalogue: every suites/<category>/*.ts file (default export: one scenario or a
// list) and every suites/cases/*.yaml case file. Ids must be unique.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matchesId } from './id-glob.ts';
import { loadCaseFile } from './case-file.ts';
import { CATEGORIES, type Scenario } from './model.ts';

export const SUITES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../suites');

export async function loadCatalog(dir = SUITES_DIR): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const category of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const folder = path.join(dir, category);
    for (const file of readdirSync(folder).sort()) {
      const full = path.join(folder, file);
      const source = path.relative(path.dirname(dir), full);
      if (/\.ya?ml$/.test(file)) out.push(...loadCaseFile(full, source));
      else if (file.endsWith('.ts')) {
        const mod = (await import(pathToFileURL(full).href)) as { default?: Scenario | Scenario[] };
        if (!mod.default) throw new Error(`${source}: no default export (a scenario or a list of them)`);
        for (const s of ([] as Scenario[]).concat(mod.default)) out.push({ ...s, source });
      }
    }
  }
  // Grouped by category (in the model's order), file order within it: reports read top-down.
  out.sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  const seen = new Map<string, string>();
  for (const s of out) {
    if (seen.has(s.id)) throw new Error(`scenario id ${s.id} is defined twice: ${seen.get(s.id)} and ${s.source}`);
    seen.set(s.id, s.source ?? '?');
  }
  return out;
}

/** Scenarios whose id matches any of the comma-separated globs (a bare category selects it whole). */
export function selectScenarios(all: readonly Scenario[], globs: string | undefined): Scenario[] {
  if (!globs) return [...all];
  const patterns = globs.split(',').map((g) => g.trim()).filter(Boolean).map((g) => (g.includes('/') || g.includes('*') ? g : `${g}/**`));
  const picked = all.filter((s) => patterns.some((p) => matchesId(s.id, p)));
  if (!picked.length) throw new Error(`--scenarios ${globs} matches no scenario; try \`poolcheck list scenarios\``);
  return picked;
}

