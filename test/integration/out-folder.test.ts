// Nothing gathered is lost, and a report is never half written over the last good one: a disk
// that fills up in the middle of a run, and a second run on the same --out.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCli } from './helpers.ts';
import { filesUnder } from './verdicts.ts';
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
      try {
        for (let i = 0; ; i++) writeFileSync(path.join(out, 'filler', String(i)), Buffer.alloc(64 * 1024));
      } catch {
        /* full */
      }
      const journal = path.join(out, `.run-${runId}`, 'journal.jsonl');
      // Said at once, naming the file, before the run ends (and it ends without running the rest).
      const [said] = await run.waitFor(
        new RegExp(`poolcheck: cannot write ${journal}: ENOSPC[^\n]*; the run stops: the (\\d+) result\\(s\\) written before are kept in it`),
        120_000,
      );
      expect(run.child.exitCode, 'exited before saying which file').to.equal(null);
      expect(await run.exited).to.equal(2);
      const kept = readFileSync(journal, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { scenario: string });
      expect(kept.length).to.be.at.least(1);
      expect(said).to.contain(`the ${kept.length} result(s) written before`);
      const last = run.stderr.trim().split('\n').pop()!;
      const fresh = path.join(out, `.run-${runId}`, 'report');
      expect(last).to.match(
        new RegExp(
          `^poolcheck: could not write the reports in ${fresh}: cannot write ${fresh}/\\S+: ENOSPC.*; the previous reports in ${out} are untouched; this run's ${kept.length} journaled result\\(s\\) are in ${journal}, and the servers' logs \\(named above as in ${out}/logs\\) in ${fresh}/logs$`,
        ),
      );
      expect(readdirSync(path.join(fresh, 'logs'))).to.include('direct.postgres.log');
      expect(run.stdout.trim()).to.equal(last);
      expect(readFileSync(path.join(out, 'results.json'), 'utf8')).to.equal('the previous run');
    } finally {
      execFileSync('umount', [out]);
    }
  });

  it('names every file where it is after the run: a pooler that did not start points at its log in OUT/logs', async () => {
    const out = tempDir('pc-paths-');
    // A pgbouncer that answers the version probe and then fails to start, as a broken build does.
    const binDir = tempDir('pc-bin-');
    chmodSync(binDir, 0o711); // the servers run as postgres when we are root
    const bin = path.join(binDir, 'pgbouncer');
    writeFileSync(bin, '#!/bin/sh\ncase "$1" in -V|--version) echo "PgBouncer 1.18.0"; exit 0;; esac\necho "broken build" >&2\nexit 1\n');
    chmodSync(bin, 0o755);
    const run = startCli([
      'run',
      '--targets',
      'pgbouncer:transaction',
      '--pgbouncer-bin',
      bin,
      '--drivers',
      'raw',
      '--scenarios',
      'sequences/currval-before-nextval-fails',
      '--out',
      out,
    ]);
    expect(await run.exited, run.stderr).to.equal(2);
    const texts = {
      stdout: run.stdout,
      stderr: run.stderr,
      ...Object.fromEntries(
        filesUnder(out)
          .filter((f) => !f.includes(`${path.sep}logs${path.sep}`))
          .map((f) => [f, readFileSync(f, 'utf8')]),
      ),
    };
    const named = Object.entries(texts).flatMap(([where, text]) =>
      [...text.matchAll(new RegExp(`${out}/[^\\s"'<>;,)]+`, 'g'))].map((m) => ({ where, file: m[0].replace(/[.:]$/, '') })),
    );
    expect(
      named.map((n) => n.file),
      `the failed start names its log:\n${run.stderr}`,
    ).to.include(`${out}/logs/pgbouncer-transaction.pgbouncer-lane0.log`);
    expect(
      named.filter((n) => !existsSync(n.file)),
      'paths printed or reported that do not exist',
    ).to.deep.equal([]);
    expect(
      named.filter((n) => n.file.includes('/.run-')),
      'paths into the staging folder',
    ).to.deep.equal([]);
  });

  it('is refused to a second run while the first one writes it, in one line, before anything starts', async () => {
    const out = tempDir('pc-locked-');
    // Long enough (two targets, two drivers) that it is still writing when the second one starts.
    const first = startCli([
      'run',
      '--targets',
      'direct,pgbouncer:transaction',
      '--drivers',
      'raw,pg',
      '--scenarios',
      'sequences,session-state,session-objects',
      '--out',
      out,
    ]);
    await first.waitFor(/run [0-9a-f]{6}:/, 60_000);
    const second = startCli(['run', ...SMALL, '--out', out]);
    expect(await second.exited).to.equal(2);
    expect(second.stderr.trim().split('\n')).to.deep.equal([
      `poolcheck: --out ${out} is being written by another poolcheck run (pid ${first.child.pid}); give this run another --out`,
    ]);
    expect(await first.exited).to.equal(0);
  });
});
