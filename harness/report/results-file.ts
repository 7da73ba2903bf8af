// Reads a results.json that another run wrote (poolcheck diff, run --baseline), of any schema
// version poolcheck has written: 1 has no divergence per result, 2 no attempts; what is missing
// reads as absent. A file that is not one, or does not have the results' shape, says so in one
// line (results-schema.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Divergence } from '../kernel/divergence.ts';
import { RESULTS_FILE_SCHEMA, shapeProblem } from './results-schema.ts';

const READABLE = [1, 2, 3, 4, 5, 6];

export interface ResultsFileRow {
  readonly scenario: string;
  readonly target: string;
  readonly driver: string;
  readonly outcome: string;
  readonly verdict: string;
  /** What the profile expected (verdict.ts EXPECTATIONS); absent before schemaVersion 6 wrote `either`. */
  readonly expected?: string;
  /** The profile entry's reason, where one judged the result. */
  readonly reason?: string | null;
  readonly message: string | null;
  readonly divergence: Divergence | null;
  /** Its transcript's place in the out folder (transcripts/...), where one was written. */
  readonly transcript?: string | null;
  /** Where the scenario was defined when the run loaded it (file:line), from schemaVersion 2. */
  readonly definedAt?: string | null;
}

/** A target as results.json describes it; what a version before 1 lacks reads as absent. */
export interface ResultsFileTarget {
  readonly id: string;
  readonly pooler: string | null;
  readonly poolerVersion: string | null;
  readonly postgresVersion: string | null;
  readonly mode?: string | null;
  readonly provider?: string;
  /** The settings the target named, and every setting as the release ran it (from schemaVersion 1). */
  readonly settings?: Readonly<Record<string, string>>;
  readonly effectiveSettings?: Readonly<Record<string, string>>;
}

export interface ResultsFile {
  /** Where it was read from, for messages. */
  readonly file: string;
  readonly schemaVersion: number;
  readonly run: { readonly id: string; readonly poolcheckVersion: string; readonly startedAt?: string };
  readonly targets: readonly ResultsFileTarget[];
  readonly drivers?: ReadonlyArray<{ readonly id: string; readonly version: string; readonly library: string }>;
  readonly results: readonly ResultsFileRow[];
}

export class ResultsFileError extends Error {}

/** `where`: an out folder (its results.json) or a results.json file. */
export function readResultsFile(where: string): ResultsFile {
  const file = existsSync(where) && statSync(where).isDirectory() ? path.join(where, 'results.json') : where;
  if (!existsSync(file)) throw new ResultsFileError(`${file} does not exist: give an out folder of poolcheck run or a results.json`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ResultsFileError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (!doc || typeof doc !== 'object' || !READABLE.includes(version as number)) {
    throw new ResultsFileError(`${file} is not a poolcheck results.json this version reads (schemaVersion ${READABLE.join(', ')})`);
  }
  const problem = shapeProblem(doc, RESULTS_FILE_SCHEMA);
  if (problem) throw new ResultsFileError(`${file} is not a poolcheck results.json: ${problem}`);
  const read = doc as Omit<ResultsFile, 'file'> & {
    results: ReadonlyArray<Partial<ResultsFileRow> & Omit<ResultsFileRow, 'message' | 'divergence'>>;
  };
  const targets = new Set(read.targets.map((t) => t.id));
  const stray = read.results.findIndex((r) => !targets.has(r.target));
  if (stray >= 0)
    throw new ResultsFileError(
      `${file} is not a poolcheck results.json: results[${stray}].target "${read.results[stray].target}" is none of its targets (${[...targets].join(', ')})`,
    );
  return {
    file,
    schemaVersion: read.schemaVersion,
    run: read.run,
    targets: read.targets.map((t) => ({
      id: t.id,
      pooler: t.pooler ?? null,
      poolerVersion: t.poolerVersion ?? null,
      postgresVersion: t.postgresVersion ?? null,
      ...(t.mode !== undefined ? { mode: t.mode } : {}),
      ...(t.provider !== undefined ? { provider: t.provider } : {}),
      ...(t.settings ? { settings: t.settings } : {}),
      ...(t.effectiveSettings ? { effectiveSettings: t.effectiveSettings } : {}),
    })),
    ...(read.drivers ? { drivers: read.drivers } : {}),
    results: read.results.map((r) => ({
      scenario: r.scenario,
      target: r.target,
      driver: r.driver,
      outcome: r.outcome,
      // Before schemaVersion 4 a skip's verdict was ok.
      verdict: r.outcome === 'skip' ? 'skip' : r.verdict,
      ...(r.expected !== undefined ? { expected: r.expected } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      message: r.message ?? null,
      divergence: r.divergence ?? null,
      ...(r.transcript !== undefined ? { transcript: r.transcript } : {}),
      ...(r.definedAt !== undefined ? { definedAt: r.definedAt } : {}),
    })),
  };
}
