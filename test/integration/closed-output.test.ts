// A reader that goes away (`poolcheck run 2>&1 | head -1`) ends the run as an interrupted one:
// servers stopped, what finished published, the exit status a shell shows for SIGPIPE. Before,
// each failed write raised an error whose report was another failed write: the process spun at
// 100% CPU, never started a server and ignored SIGTERM.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, commandLines, eventually, processesMentioning, ROOT, runDir, startCli } from './helpers.ts';
import { readResults } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const SMALL = ['run', '--targets', 'direct', '--drivers', 'raw', '--scenarios', 'sequences/*'];
const SIGPIPE_EXIT = 141;

const noProcessOf = (runId: string) =>
  eventually(`no process of run ${runId}`, 10_000, () => processesMentioning(runDir(runId)).length === 0).catch((err: Error) => {
    throw new Error(`${err.message}; left: ${commandLines(processesMentioning(runDir(runId))).join(' | ')}`);
  });

describe('a closed output stream', function () {
  it('ends `run 2>&1 | head -1` as an interrupted run: exit 141, no server left', async () => {
    const out = tempDir('pc-head-');
    const status = path.join(out, 'status');
    // The shell's own pipe, as a user types it; poolcheck's exit status is written aside.
    const line = `"${process.execPath}" "${CLI}" ${SMALL.map((a) => `'${a}'`).join(' ')} --out '${out}/run' 2>&1 | head -1; echo "\${PIPESTATUS[0]}" > '${status}'`;
    const shell = spawn('bash', ['-c', line], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    shell.stdout.on('data', (d) => {
      printed += d;
    });
    const ended = new Promise<void>((resolve) => shell.on('exit', () => resolve()));
    // The whole run takes about as long on a quiet machine: only an interrupted one exits 141.
    await eventually('the pipeline to end', 120_000, () => shell.exitCode !== null || shell.signalCode !== null).catch((err: Error) => {
      shell.kill('SIGKILL');
      throw err;
    });
    await ended;
    const runId = /run ([0-9a-f]{6}):/.exec(printed)?.[1];
    expect(runId, `head's line: ${printed}`).to.be.a('string');
    expect(readFileSync(status, 'utf8').trim()).to.equal(String(SIGPIPE_EXIT));
    await noProcessOf(runId!);
    expect(existsSync(runDir(runId!))).to.equal(false);
  });

  it('publishes what finished when stderr closes mid-run, naming the stream as the reason', async () => {
    const out = tempDir('pc-closed-');
    const run = startCli([...SMALL, '--out', out]);
    const [, runId] = await run.waitFor(/run ([0-9a-f]{6}):/, 60_000);
    await run.waitFor(/\[\s*1\/\d+\]/, 120_000);
    run.child.stderr!.destroy();
    expect(await run.exited).to.equal(SIGPIPE_EXIT);
    await noProcessOf(runId);
    const doc = readResults(out);
    expect(doc.run.interrupted?.reason).to.equal('stderr closed (EPIPE)');
    expect(doc.results.length).to.be.greaterThan(0).and.below(doc.run.interrupted!.planned);
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).to.contain('**Interrupted** (stderr closed (EPIPE))');
    // The staging folder (journal, logs) is gone: the reports are in place.
    expect(existsSync(path.join(out, `.run-${runId}`))).to.equal(false);
  });
});
