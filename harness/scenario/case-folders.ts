// The catalogue a command works on: poolcheck's own scenarios and the case folders named with
// --cases (or "cases" in the config file). A folder that is not there is a usage error; a case
// that does not load is not: it is listed on stderr, before any server starts, and every run of
// it is an `error`. A step that checks nothing is a warning, or with --strict such an error.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { caseSelectorProblem, loadCatalog, type Catalog } from './catalog.ts';

/** The options that choose the catalogue, as read (cli/catalog-choice.ts). */
export interface CatalogChoice {
  /** --cases: folders of case files, absolute. */
  readonly cases: readonly string[];
  readonly strict: boolean;
  /** --scenarios: its globs as one comma list. */
  readonly scenarios?: string;
}

export async function loadCatalogFor(c: CatalogChoice): Promise<Catalog> {
  for (const folder of c.cases) {
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new UsageError(`--cases ${path.relative(process.cwd(), folder) || folder}: no such folder`);
  }
  const catalog = await loadCatalog(undefined, c.cases, { strict: c.strict });
  const problem = caseSelectorProblem(catalog, c.scenarios);
  if (problem) throw new UsageError(problem);
  return catalog;
}
