// `poolcheck merge OUT DIR...`: the arguments read, the shards merged into OUT
// (run/merge-shards.ts), and the verdict line printed as a run's.
import path from 'node:path';
import { UsageError } from '../kernel/errors.ts';
import { mergeShardFolders } from '../run/merge-shards.ts';
import { type Options } from './args.ts';
import { githubMode } from './github-mode.ts';
import { printSummary } from './summary-line.ts';

export async function mergeCommand(positionals: readonly string[], options: Options): Promise<number> {
  const [outArg, ...dirArgs] = positionals;
  if (!outArg || !dirArgs.length)
    throw new UsageError('poolcheck merge OUT DIR...: the folder to write, then the out folders of the shards (poolcheck run --shard i/n --out DIR)');
  const out = path.resolve(outArg);
  const strict = options.get('strict');
  const { report, exitCode } = mergeShardFolders(
    { out, shards: dirArgs.map((d) => path.resolve(d)), baseline: options.get('baseline'), strict },
    (line) => process.stderr.write(`poolcheck: ${line}\n`),
  );
  printSummary(report, out, (s) => s, strict);
  githubMode(report, strict);
  return exitCode;
}
