// `poolcheck repro --from OUT --result SCENARIO@TARGET/DRIVER --to DIR`: one divergence of a run
// written as reproducers (repro/export-repro.ts), with the catalogue loaded as `run` loads it
// (--cases, the config file's "cases"), so a case of the user's is found where the run found it.
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { POOLCHECK_VERSION } from '../kernel/version.ts';
import { exportRepro } from '../repro/export-repro.ts';
import type { Options } from './args.ts';
import { loadCatalogFor } from '../scenario/case-folders.ts';
import { catalogChoice } from './catalog-choice.ts';
import { loadConfig } from './config.ts';

const USAGE = 'poolcheck repro --from OUT --result SCENARIO@TARGET/DRIVER --to DIR';

export async function reproCommand(positionals: readonly string[], given: Options): Promise<number> {
  if (positionals.length) throw new UsageError(`poolcheck repro takes options only, not "${positionals[0]}": ${USAGE}`);
  const o = given.withConfig(await loadConfig(given.get('config')));
  const [from, result, to] = [o.get('from'), o.get('result'), o.get('to')];
  if (!from || !result || !to)
    throw new UsageError(`${USAGE} (missing: ${[!from && '--from', !result && '--result', !to && '--to'].filter(Boolean).join(', ')})`);
  // The folder as the user would type it, for the commands written into the files.
  const relative = path.relative(process.cwd(), to);
  const toShown = relative && !relative.startsWith('..') ? relative : to;
  const written = await exportRepro({
    from,
    result,
    to,
    toShown,
    catalog: () => loadCatalogFor(catalogChoice(o)),
    poolcheckVersion: POOLCHECK_VERSION,
  });
  process.stdout.write(`${written.reproId}: ${written.files.map((f) => path.join(toShown, f)).join(', ')}\n`);
  return 0;
}
