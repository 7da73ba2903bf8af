// A finding as an out folder records it: the diverging result, the target it ran on (releases,
// settings), the driver, PostgreSQL's own result of the same scenario and driver, and both
// transcripts. Everything here was redacted when the run wrote it; nothing is read from anywhere
// else, so nothing a reproducer is made of can hold a password the out folder does not.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { readResultsFile, ResultsFileError, type ResultsFile, type ResultsFileRow, type ResultsFileTarget } from '../report/results-file.ts';
import { findResult, parseResultRef, refText } from './result-ref.ts';

export interface Finding {
  /** The out folder (results.json's folder). */
  readonly out: string;
  readonly run: ResultsFile['run'];
  readonly result: ResultsFileRow;
  readonly target: ResultsFileTarget;
  readonly driver: { readonly id: string; readonly version?: string; readonly library?: string };
  /** The same scenario and driver on direct: PostgreSQL's side. */
  readonly direct?: ResultsFileRow;
  /** The transcripts as the out folder holds them (normalised: pid#1, <secret>, {{name}}). */
  readonly transcripts: { readonly target?: string; readonly direct?: string };
}

/** Where a result diverged, as `refText` names it. */
export const findingName = (f: Finding): string => refText(f.result);

function readTranscript(out: string, rel: string | null | undefined): string | undefined {
  if (!rel) return undefined;
  const file = path.join(out, rel);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function readOut(out: string): ResultsFile {
  if (!existsSync(out) || !statSync(out).isDirectory())
    throw new UsageError(`--from ${out}: not a folder; give the out folder of a poolcheck run (its --out)`);
  try {
    return readResultsFile(out);
  } catch (e) {
    if (e instanceof ResultsFileError) throw new UsageError(`--from ${out} is not a poolcheck out folder: ${e.message}`);
    throw e;
  }
}

/**
 * The finding `ref` names in the out folder `out`. A result that is not a divergence is refused:
 * a pass has nothing to reproduce, a skip never ran, and an error was never compared with
 * PostgreSQL (its cause is the run's, not the pooler's).
 */
export function readFinding(out: string, ref: string): Finding {
  const file = readOut(out);
  const result = findResult(file, parseResultRef(ref));
  if (result.outcome !== 'diverge') {
    const others = file.results.filter((r) => r.scenario === result.scenario && r.outcome === 'diverge').map(refText);
    const elsewhere = others.length ? `; its divergences in this run: ${others.join(', ')}` : '';
    throw new UsageError(
      `--result ${refText(result)} is ${result.outcome} (verdict ${result.verdict}), not a divergence: a reproducer is made from a result that differs from PostgreSQL${elsewhere}`,
    );
  }
  const target = file.targets.find((t) => t.id === result.target)!;
  const driver = file.drivers?.find((d) => d.id === result.driver) ?? { id: result.driver };
  const direct = file.results.find((r) => r.scenario === result.scenario && r.driver === result.driver && r.target === 'direct');
  return {
    out,
    run: file.run,
    result,
    target,
    driver,
    direct,
    transcripts: { target: readTranscript(out, result.transcript), direct: readTranscript(out, direct?.transcript) },
  };
}

/** "pgbouncer 1.18.0 in transaction mode", or "PostgreSQL itself" for direct. */
export function poolerText(t: ResultsFileTarget): string {
  if (!t.pooler) return 'PostgreSQL itself (direct)';
  return `${t.pooler} ${t.poolerVersion ?? '(version unknown)'}${t.mode ? ` in ${t.mode} mode` : ''}`;
}

/**
 * The settings the target ran, one `name=value` each; those it did not name are the release's
 * own default, and said so.
 */
export function settingsText(t: ResultsFileTarget): string[] {
  const named = t.settings ?? {};
  const effective = { ...t.effectiveSettings, ...named };
  return Object.entries(effective).map(([k, v]) => `${k}=${v}${k in named ? '' : ' (default)'}`);
}

/** PostgreSQL's answer at the diverging step, as the run worded it (`...; PostgreSQL: rows [["0"]]`). */
export function postgresAnswer(f: Finding): string | undefined {
  return /; PostgreSQL: (.*)$/s.exec(f.result.message ?? '')?.[1];
}
