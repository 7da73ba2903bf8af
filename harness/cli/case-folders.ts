// The catalogue a command works on: poolcheck's own scenarios and the case folders named with
// --cases (or "cases" in the config file). A folder that is not there is a usage error; a case
// that does not load is not: it is listed on stderr, before any server starts, and every run of
// it is an `error`. A step that checks nothing is a warning, or with --strict such an error.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { caseSelectorProblem, loadCatalog, type Catalog } from '../scenario/catalog.ts';
import { type Options } from './args.ts';
import { UsageError } from '../kernel/errors.ts';

export async function loadCatalogFor(o: Options): Promise<Catalog> {
  const folders = o.get('cases');
  for (const folder of folders) {
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new UsageError(`--cases ${path.relative(process.cwd(), folder) || folder}: no such folder`);
  }
  const catalog = await loadCatalog(undefined, folders, { strict: o.get('strict') });
  const problem = caseSelectorProblem(catalog, o.get('scenarios')?.join(','));
  if (problem) throw new UsageError(problem);
  return catalog;
}
