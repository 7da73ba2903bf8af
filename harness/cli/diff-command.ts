// `poolcheck diff OLD NEW`: what changed between two runs, per target, as diff.md's Markdown on
// stdout. Exit 1 when something is new (a result that passed before diverges or fails now), so a
// release pipeline can stop on it; 0 otherwise.
import { diffRuns } from '../report/diff.ts';
import { diffMarkdown } from '../report/diff-md.ts';
import { readResultsFile } from '../report/results-file.ts';
import { UsageError } from '../kernel/errors.ts';

export async function diffCommand(positionals: readonly string[]): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('poolcheck diff OLD NEW: two out folders of poolcheck run, or two results.json files');
  const read = (where: string) => {
    try {
      return readResultsFile(where);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  };
  const d = diffRuns(read(positionals[0]), read(positionals[1]));
  process.stdout.write(diffMarkdown(d));
  return d.counts.new > 0 ? 1 : 0;
}
