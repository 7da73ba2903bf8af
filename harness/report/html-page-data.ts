// What report.html's script reads: the matrix as compact rows (a default run has ~11,000
// results, so each is a small tuple of indexes), every result that is not ok with what the page
// shows beside it, and only the transcripts those need: the pooler's and PostgreSQL's (direct's,
// same scenario and driver). The ~9,000 ok transcripts stay in transcripts/.
import path from 'node:path';
import { DIVERGENCE_KINDS, type Divergence } from '../kernel/divergence.ts';
import type { Outcome } from '../scenario/result.ts';
import { cellWords, classOf, scenarioDrivers, WORDS, type CellClass } from './matrix-cell.ts';
import type { RunReport } from './run-report.ts';
import type { Verdict } from './verdict.ts';

type Row = RunReport['results'][number];

/** A result that is not ok: what the page shows when it is opened. */
export interface PageDivergence {
  readonly scenario: string;
  readonly target: string;
  readonly driver: string;
  readonly verdict: Verdict;
  readonly outcome: Outcome;
  readonly message: string | null;
  readonly divergence: Divergence | null;
  /** The step to show first, counted from 1 as transcripts count them (the diverging or failing one). */
  readonly step: number | null;
  readonly reason: string | null;
  readonly link: string | null;
  readonly source: string | null;
  /** For `changed`: the divergence the profile documents. */
  readonly documented: string | null;
  /** Keys into the transcripts: this result's, and direct's for the same scenario and driver. */
  readonly transcript: string | null;
  readonly direct: string | null;
  /** Where the scenario is defined (file:line), when known. */
  readonly definedAt: string | null;
  /** Every attempt, when the result ran more than once (--retries, --repeat-each). */
  readonly attempts: ReadonlyArray<{ readonly outcome: Outcome; readonly durationMs: number; readonly message: string | null }> | null;
}

/** One result: scenario, target and driver indexes, its class, and its index in `divergences` (-1 when ok). */
type CompactResult = readonly [number, number, number, CellClass, number];

/** One word of a cell as summary.md words it: its class, the driver indexes it names (none: every other driver), the divergence it opens (-1: none). */
type CompactWord = readonly [CellClass, readonly number[], number];

export interface PageData {
  readonly targets: readonly string[];
  readonly drivers: readonly string[];
  /** [id, category, which drivers ran it when not all did], in catalogue order. */
  readonly scenarios: ReadonlyArray<readonly [string, string, string]>;
  readonly labels: Readonly<Record<CellClass, string>>;
  readonly kinds: Readonly<Record<string, string>>;
  readonly results: readonly CompactResult[];
  /** Each cell's words, keyed "scenario index/target index", for the matrix when no driver is picked. */
  readonly cells: Readonly<Record<string, readonly CompactWord[]>>;
  /** Every result that is not ok (skips too, with their reasons), in report order. */
  readonly divergences: readonly PageDivergence[];
  /** Each target's server logs, as paths in the out folder (logs/...). */
  readonly logs: Readonly<Record<string, readonly string[]>>;
}

function indexer(values: Iterable<string>): Map<string, number> {
  return new Map([...new Set(values)].map((v, i) => [v, i]));
}

function divergenceOf(x: Row, direct: Row | undefined): PageDivergence {
  const step = x.divergence?.step ?? (x.failedStep !== undefined ? x.failedStep + 1 : null);
  return {
    scenario: x.scenario,
    target: x.target,
    driver: x.driver,
    verdict: x.verdict,
    outcome: x.outcome,
    message: x.message ?? null,
    divergence: x.divergence ?? null,
    step,
    reason: x.reason ?? null,
    link: x.link ?? null,
    source: x.source ?? null,
    documented: x.documented ?? null,
    // A skip is shown for its reason: its transcript (if any) stays in transcripts/, out of the page.
    transcript: x.verdict === 'skip' ? null : x.transcriptPath,
    // On direct the result is PostgreSQL's own: nothing to put beside it.
    direct: x.target === 'direct' || x.verdict === 'skip' ? null : (direct?.transcriptPath ?? null),
    definedAt: x.definedAt ?? null,
    attempts: x.attempts ? x.attempts.map((a) => ({ outcome: a.outcome, durationMs: a.durationMs, message: a.message ?? null })) : null,
  };
}

/** Log files (out-folder paths) per target: a target's logs are named after it (local provider: `<slug>.postgres.log`; merged: under logs/shard-I-of-N/). */
function logsByTarget(r: RunReport, logs: readonly string[]): Record<string, string[]> {
  const slug = (id: string) => id.replace(/[^a-z0-9]+/gi, '-');
  return Object.fromEntries(r.targets.map((t) => [t.id, logs.filter((l) => path.posix.basename(l).startsWith(`${slug(t.id)}.`))]));
}

export function pageData(r: RunReport, logs: readonly string[] = []): PageData {
  const targets = indexer([...r.targets.map((t) => t.id), ...r.results.map((x) => x.target)]);
  const drivers = indexer([...r.drivers.map((d) => d.id), ...r.results.map((x) => x.driver)]);
  const scenarios = indexer(r.results.map((x) => x.scenario));
  const category = new Map(r.results.map((x) => [x.scenario, x.category]));
  const direct = new Map(r.results.filter((x) => x.target === 'direct').map((x) => [`${x.scenario}\u0000${x.driver}`, x]));
  const divergences: PageDivergence[] = [];
  const divergenceIndex = new Map<Row, number>();
  const results = r.results.map((x): CompactResult => {
    const i = x.verdict === 'ok' ? -1 : divergences.push(divergenceOf(x, direct.get(`${x.scenario}\u0000${x.driver}`))) - 1;
    divergenceIndex.set(x, i);
    return [scenarios.get(x.scenario)!, targets.get(x.target)!, drivers.get(x.driver)!, classOf(x), i];
  });
  const notes = new Map<string, string>();
  const cells: Record<string, CompactWord[]> = {};
  for (const [scenario, s] of scenarios) {
    const rows = r.results.filter((x) => x.scenario === scenario);
    const { leftOut, note } = scenarioDrivers(rows);
    notes.set(scenario, note);
    for (const [target, t] of targets) {
      const words = cellWords(
        rows.filter((x) => x.target === target),
        leftOut,
      );
      if (words.length)
        cells[`${s}/${t}`] = words.map((w) => [
          w.cls,
          w.named ? w.rows.map((x) => drivers.get(x.driver)!) : [],
          divergenceIndex.get(w.rows[0]) ?? -1,
        ]);
    }
  }
  return {
    targets: [...targets.keys()],
    drivers: [...drivers.keys()],
    scenarios: [...scenarios.keys()].map((id) => [id, category.get(id) ?? '', notes.get(id) ?? ''] as const),
    labels: WORDS,
    kinds: DIVERGENCE_KINDS,
    results,
    divergences,
    cells,
    logs: logsByTarget(r, logs),
  };
}

/** The transcripts the divergences show, and nothing else. */
export function neededTranscripts(data: PageData, transcripts: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of data.divergences) {
    for (const key of [d.transcript, d.direct]) {
      const text = key === null ? undefined : transcripts.get(key);
      if (key !== null && text !== undefined) out[key] = text;
    }
  }
  return out;
}
