// The options that choose the catalogue (run, list, repro), read into the record
// scenario/case-folders.ts loads it from.
import type { CatalogChoice } from '../scenario/case-folders.ts';
import type { Options } from './args.ts';

export const catalogChoice = (o: Options): CatalogChoice => ({
  cases: o.get('cases'),
  strict: o.get('strict'),
  scenarios: o.get('scenarios')?.join(','),
});
