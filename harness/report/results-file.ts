// Reads a results.json that another run wrote (poolcheck diff, run --baseline), of any schema
// version poolcheck has written: 1 has no divergence per result, 2 no attempts; what is missing
// reads as absent. A file that is not one says so in one line.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Divergence } from '../kernel/divergence.ts';

const READABLE = [1, 2, 3, 4];

export interface ResultsFileRow {
  readonly scenario: string;
  readonly target: string;
  readonly driver: string;
  readonly outcome: string;
  readonly verdict: string;
  readonly message: string | null;
  readonly divergence: Divergence | null;
}

export interface ResultsFile {
  /** Where it was read from, for messages. */
  readonly file: string;
  readonly schemaVersion: number;
  readonly run: { readonly id: string; readonly poolcheckVersion: string; readonly startedAt?: string };
  readonly targets: ReadonlyArray<{ readonly id: string; readonly pooler: string | null; readonly poolerVersion: string | null; readonly postgresVersion: string | null }>;
  readonly results: readonly ResultsFileRow[];
}

export class ResultsFileError extends Error {}

/** `where`: an out folder (its results.json) or a results.json file. */
export function readResultsFile(where: string): ResultsFile {
  const file = existsSync(where) && statSync(where).isDirectory() ? path.join(where, 'results.json') : where;
  if (!existsSync(file)) throw new ResultsFileError(`${file} does not exist: give an out folder of poolcheck run or a results.json`);
  let doc: Partial<ResultsFile> & { results?: Array<Partial<ResultsFileRow>> };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
  } catch (err) {
    throw new ResultsFileError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !READABLE.includes(doc.schemaVersion ?? -1) || !Array.isArray(doc.results) || !Array.isArray(doc.targets) || !doc.run) {
    throw new ResultsFileError(`${file} is not a poolcheck results.json this version reads (schemaVersion ${READABLE.join(', ')})`);
  }
  return {
    file, schemaVersion: doc.schemaVersion!, run: doc.run, targets: doc.targets,
    results: doc.results.map((r) => ({
      // Before schemaVersion 4 a skip's verdict was ok.
      scenario: String(r.scenario), target: String(r.target), driver: String(r.driver), outcome: String(r.outcome),
      verdict: String(r.outcome === 'skip' ? 'skip' : r.verdict),
      message: r.message ?? null, divergence: r.divergence ?? null,
    })),
  };
}
