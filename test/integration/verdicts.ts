import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** results.json (schemaVersion 2), the parts the tests read. */
export interface ResultsDoc {
  schemaVersion: number;
  run: { id: string; interrupted?: { reason: string; planned: number } };
  warnings: string[];
  targets: Array<{
    id: string;
    provider: string;
    poolerVersion: string | null;
    postgresVersion: string | null;
    settings: Record<string, string>;
    effectiveSettings: Record<string, string>;
  }>;
  results: Array<{
    scenario: string;
    target: string;
    driver: string;
    outcome: string;
    verdict: string;
    /** An error's cause (scenario/result.ts ERROR_CAUSES). */
    cause?: string;
    message: string | null;
    divergence: { step: number; kind: string; sqlstate?: string } | null;
  }>;
  summary: { byVerdict: Record<string, number> };
}

export const readResults = (out: string): ResultsDoc => JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));

/** `scenario | target | driver: verdictA -> verdictB` for every result whose verdict differs. */
export function verdictDiff(a: ResultsDoc, b: ResultsDoc): string[] {
  const key = (r: ResultsDoc['results'][number]) => `${r.scenario} | ${r.target} | ${r.driver}`;
  const va = new Map(a.results.map((r) => [key(r), r.verdict]));
  const vb = new Map(b.results.map((r) => [key(r), r.verdict]));
  return [...new Set([...va.keys(), ...vb.keys()])]
    .filter((k) => va.get(k) !== vb.get(k))
    .sort()
    .map((k) => `${k}: ${va.get(k) ?? 'missing'} -> ${vb.get(k) ?? 'missing'}`);
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Files under `dir` that contain `secret`. */
export const filesContaining = (dir: string, secret: string) => filesUnder(dir).filter((f) => readFileSync(f, 'utf8').includes(secret));
