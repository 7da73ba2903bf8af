// Nothing gathered is lost, and a report is never half written over the last good one: a disk
// that fills up in the middle of a run, and a second run on the same --out.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCli } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const SMALL = ['--targets', 'direct', '--drivers', 'raw', '--scenarios', 'sequences,session-state'];

describe('the out folder of a run', function () {
  it('stops at once when the disk fills up mid-run: names the file, keeps the journaled results and the previous reports, says so on stdout', async function () {
    if (process.getuid?.() !== 0) this.skip(); // mounting a small tmpfs needs root (CI runs as root)
    const out = tempDir('pc-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', out]);
    try {
      writeFileSync(path.join(out, 'results.json'), 'the previous run');
      const run = startCli(['run', ...SMALL, '--out', out]);
      const [, runId] = await run.waitFor(/run ([0-9a-f]{6}):/, 60_000);
      await run.waitFor(/\[\s*\d+\/\d+\]/, 60_000);
      // Fill what is left of the disk.
      mkdirSync(path.join(out, 'filler'));
      try { for (let i = 0; ; i++) writeFileSync(path.join(out, 'filler', String(i)), Buffer.alloc(64 * 1024)); } catch { /* full */ }
      const journal = path.join(out, `.run-${runId}`, 'journal.jsonl');
      // Said at once, naming the file, before the run ends (and it ends without running the rest).
      const [said] = await run.waitFor(new RegExp(`poolcheck: cannot write ${journal}: ENOSPC[^\n]*; the run stops: the (\\d+) result\\(s\\) written before are kept in it`), 120_000);
      expect(run.child.exitCode, 'exited before saying which file').to.equal(null);
      expect(await run.exited).to.equal(2);
      const kept = readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { scenario: string });
      expect(kept.length).to.be.at.least(1);
      expect(said).to.contain(`the ${kept.length} result(s) written before`);
      const last = run.stderr.trim().split('\n').pop()!;
      expect(last).to.match(new RegExp(`^poolcheck: could not write the reports in ${out}/\\.run-[0-9a-f]{6}/report: cannot write ${out}/\\.run-[0-9a-f]{6}/report/\\S+: ENOSPC.*; the previous reports in ${out} are untouched; this run's ${kept.length} journaled result\\(s\\) are in ${journal}$`));
      expect(run.stdout.trim()).to.equal(last);
      expect(readFileSync(path.join(out, 'results.json'), 'utf8')).to.equal('the previous run');
    } finally {
      execFileSync('umount', [out]);
    }
  });

  it('is refused to a second run while the first one writes it, in one line, before anything starts', async () => {
    const out = tempDir('pc-locked-');
    // Long enough (two targets, two drivers) that it is still writing when the second one starts.
    const first = startCli(['run', '--targets', 'direct,pgbouncer:transaction', '--drivers', 'raw,pg', '--scenarios', 'sequences,session-state,session-objects', '--out', out]);
    await first.waitFor(/run [0-9a-f]{6}:/, 60_000);
    const second = startCli(['run', ...SMALL, '--out', out]);
    expect(await second.exited).to.equal(2);
    expect(second.stderr.trim().split('\n')).to.deep.equal([`poolcheck: --out ${out} is being written by another poolcheck run (pid ${first.child.pid}); give this run another --out`]);
    expect(await first.exited).to.equal(0);
  });
});
