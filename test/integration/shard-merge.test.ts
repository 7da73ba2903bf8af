// --shard i/n then poolcheck merge, on real servers: the merged reports hold the same results as
// one unsharded run, and each shard ran whole scenario-and-driver groups with direct's baseline.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startCli } from './helpers.ts';
import { readResults, type ResultsDoc } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const SMALL = ['--targets', 'pgbouncer:transaction', '--drivers', 'raw', '--scenarios', 'session-state/*', '--quiet'];
const rows = (doc: ResultsDoc) => doc.results.map((r) => `${r.scenario} | ${r.target} | ${r.driver} | ${r.outcome} | ${r.verdict}`);

describe('shards and merge', function () {
  this.timeout(240_000);

  it('merge two shards into the results of one unsharded run, in the same order', async () => {
    const whole = tempDir('pc-whole-');
    const shards = [tempDir('pc-shard1-'), tempDir('pc-shard2-')];
    const merged = path.join(tempDir('pc-merged-'), 'out');
    // One run at a time: the machine is shared.
    const unsharded = startCli(['run', ...SMALL, '--out', whole]);
    expect(await unsharded.exited, unsharded.stderr).to.equal(0);
    for (const [i, out] of shards.entries()) {
      const run = startCli(['run', ...SMALL, '--shard', `${i + 1}/2`, '--out', out]);
      expect(await run.exited, run.stderr).to.equal(0);
      const doc = readResults(out);
      expect(doc.results.length).to.be.above(0);
      // A shard owns (scenario, driver) groups on every target: direct's baseline runs beside each pooler result.
      for (const r of doc.results)
        expect(
          doc.results.some((b) => b.target === 'direct' && b.scenario === r.scenario && b.driver === r.driver),
          r.scenario,
        ).to.equal(true);
    }
    const merge = startCli(['merge', merged, ...shards]);
    expect(await merge.exited, merge.stderr).to.equal(0);
    const a = readResults(whole);
    const b = readResults(merged);
    expect(rows(b)).to.deep.equal(rows(a));
    expect(b.summary).to.deep.equal(a.summary);
    expect(readResults(shards[0]).results.length + readResults(shards[1]).results.length).to.equal(a.results.length);
    for (const f of ['summary.md', 'feature-map.md', 'junit.xml']) expect(existsSync(path.join(merged, f)), f).to.equal(true);
    const table = (dir: string) =>
      readFileSync(path.join(dir, 'summary.md'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('| ') && !l.startsWith('| target') && !/\| \d+ ms \|/.test(l));
    expect(table(merged)).to.deep.equal(table(whole));
    expect(existsSync(path.join(merged, 'logs', 'shard-1-of-2'))).to.equal(true);

    // Two runs of the same build: no change.
    const diff = startCli(['diff', whole, merged]);
    expect(await diff.exited, diff.stderr).to.equal(0);
    expect(diff.stdout).to.contain('No change:');

    // A shard missing: refused in one line.
    const incomplete = startCli(['merge', path.join(tempDir('pc-merged-'), 'out'), shards[1]]);
    expect(await incomplete.exited).to.equal(2);
    expect(incomplete.stderr.trim()).to.equal('poolcheck: incomplete set of shards: 1/2 missing (given: 2/2)');
  });
});
