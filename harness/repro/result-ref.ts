// Which result of a run a reproducer is made from: `SCENARIO@TARGET/DRIVER`, as summary.md and
// the transcripts name a result. A target id may hold settings with any character but a line
// break (`pgbouncer:transaction{server_reset_query=...}`), a driver id never holds a slash, so the
// driver is what follows the last slash.
import { editDistance } from '../kernel/schema.ts';
import { UsageError } from '../kernel/errors.ts';
import type { ResultsFile, ResultsFileRow } from '../report/results-file.ts';

export interface ResultRef {
  readonly scenario: string;
  readonly target: string;
  readonly driver: string;
}

const FORM = "SCENARIO@TARGET/DRIVER, e.g. 'session-state/set-visible-to-next-client@pgbouncer:transaction/raw'";

export const refText = (r: ResultRef): string => `${r.scenario}@${r.target}/${r.driver}`;

export function parseResultRef(text: string): ResultRef {
  const at = text.indexOf('@');
  const slash = text.lastIndexOf('/');
  const ref = { scenario: text.slice(0, at), target: text.slice(at + 1, slash), driver: text.slice(slash + 1) };
  if (at <= 0 || slash < at || !ref.target || !ref.driver || !ref.scenario.includes('/'))
    throw new UsageError(`--result ${JSON.stringify(text)} names no result: write ${FORM}`);
  return ref;
}

/** How many results are named when none matches: enough to spot a typo, few enough for one line. */
const SHOWN = 3;

/**
 * The result `ref` names in `file`; otherwise a usage error in one line naming the closest
 * results (the same scenario on other targets or drivers first, then by spelling).
 */
export function findResult(file: ResultsFile, ref: ResultRef): ResultsFileRow {
  const hit = file.results.find((r) => r.scenario === ref.scenario && r.target === ref.target && r.driver === ref.driver);
  if (hit) return hit;
  const wanted = refText(ref);
  const sameScenario = file.results.filter((r) => r.scenario === ref.scenario);
  const pool = sameScenario.length ? sameScenario : file.results;
  const near = [...pool]
    .sort((a, b) => editDistance(refText(a), wanted) - editDistance(refText(b), wanted))
    .slice(0, SHOWN)
    .map(refText);
  const why = sameScenario.length ? `its results there: ${near.join(', ')}` : near.length ? `closest: ${near.join(', ')}` : 'it has no results';
  throw new UsageError(`--result ${wanted}: no such result in ${file.file}; ${why}`);
}
