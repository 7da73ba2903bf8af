// `poolcheck merge OUT DIR...`: the reports of a whole run from its shards' out folders, written
// by the same writers as a run's, into OUT the way a run writes its --out (locked, staged, then
// put in place). The shards' server logs go to logs/shard-I-of-N/.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { asUsage, UsageError } from '../kernel/errors.ts';
import { diffRuns, reportSide } from '../report/diff.ts';
import { mergeShards, type MergeInput } from '../report/merge.ts';
import { OutFolder } from '../report/out-folder.ts';
import { NO_REDACTION } from '../report/redact.ts';
import { readResultsFile } from '../report/results-file.ts';
import { exitCode, type RunReport } from '../report/run-report.ts';
import { readShardManifest } from '../report/shard-manifest.ts';
import { writeReport } from '../report/write-report.ts';
import type { RunEnd } from './execute-run.ts';
import { newRunId } from './run-plan.ts';

/** The arguments and options of `poolcheck merge`, as read (cli/merge-command.ts). */
export interface MergeOptions {
  /** The folder to write, absolute. */
  readonly out: string;
  /** The shards' out folders, absolute. */
  readonly shards: readonly string[];
  /** --baseline: an earlier out folder or results.json. */
  readonly baseline?: string;
  readonly strict: boolean;
}

/**
 * Every regular file under `dir`, relative to `base`. A symbolic link (to a file, a folder, or
 * `dir` itself) is left out: a shard is an artifact someone else made, and merge copies only
 * what is inside it, never what a link in it points at (/etc/shadow into an uploaded report).
 */
function filesUnder(dir: string, base: string): string[] {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p, base) : d.isFile() ? [path.relative(base, p)] : [];
  });
}

/** `note` takes a line for stderr (the out folder's warnings). */
export function mergeShardFolders(o: MergeOptions, note: (line: string) => void): RunEnd {
  if (o.shards.includes(o.out))
    throw new UsageError(`poolcheck merge writes ${o.out}, which is also one of the shards: write the merged reports to a folder of their own`);
  const shards: MergeInput[] = asUsage(() => o.shards.map((dir) => ({ dir, manifest: readShardManifest(dir) })));
  const merged = asUsage(() => mergeShards(shards));
  const baseline = o.baseline;
  const report: RunReport = baseline
    ? {
        ...merged.report,
        diff: diffRuns(
          asUsage(() => readResultsFile(baseline)),
          reportSide(merged.report),
        ),
      }
    : merged.report;
  // The shards' transcripts were redacted when they were written.
  const transcripts = new Map(
    o.shards.flatMap((dir) =>
      filesUnder(path.join(dir, 'transcripts'), dir).map((rel): [string, string] => [rel, readFileSync(path.join(dir, rel), 'utf8')]),
    ),
  );
  const folder = asUsage(() => OutFolder.open(o.out, newRunId(), note));
  try {
    for (const s of shards) {
      const logs = path.join(s.dir, 'logs');
      const into = path.join(folder.logDir, `shard-${s.manifest.shard.index}-of-${s.manifest.shard.count}`);
      for (const rel of filesUnder(logs, logs)) {
        mkdirSync(path.dirname(path.join(into, rel)), { recursive: true });
        copyFileSync(path.join(logs, rel), path.join(into, rel));
      }
    }
    folder.publish((dir) =>
      writeReport(dir, report, transcripts, NO_REDACTION, { features: merged.features, published: (t) => merged.published[t] }, o.strict),
    );
    folder.close();
  } finally {
    folder.release();
  }
  return { report, exitCode: exitCode(report, o.strict) };
}
