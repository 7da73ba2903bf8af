// The fault campaign: faults of the infrastructure in the middle of a real run (a backend
// killed, so that PostgreSQL goes through crash recovery; the pooler stopped for longer than a
// step's deadline and continued; the pooler killed). Each must end the run, become `error` with
// its cause and never a verdict about the pooler, keep every result, and leave nothing running.
// (Ctrl-C, SIGTERM and a full disk on --out are in lifecycle.test.ts and out-folder.test.ts.)
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { poll } from '../../harness/kernel/poll.ts';
import { eventually, processesMentioning, runDir, startCli, type CliRun } from './helpers.ts';
import { filesUnder, readResults, type ResultsDoc } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const TARGET = 'pgbouncer:transaction';
const ARGS = ['run', '--targets', TARGET, '--drivers', 'raw'];

/** Live child pids of `parent`, with their command lines. */
function children(parent: number): Array<{ pid: number; cmd: string }> {
  return processesMentioning('').flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === parent ? [{ pid, cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() }] : [];
    } catch {
      return [];
    }
  });
}

interface Faulted {
  run: CliRun;
  code: number | null;
  doc: ResultsDoc;
  runId: string;
  out: string;
}

/** Starts a run, lets it get going on the pooler target, applies `fault` to it, and waits for the end. */
async function runWithFault(fault: (dir: string) => Promise<void>): Promise<Faulted> {
  const out = tempDir('pc-fault-');
  const run = startCli([...ARGS, '--out', out]);
  const [, runId] = await run.waitFor(/run ([0-9a-f]{6}):/, 30_000);
  await run.waitFor(new RegExp(`\\[\\s*\\d+/\\d+\\] +\\d+% +[\\d.]+s ${TARGET.replace(':', ':')} `), 120_000);
  await fault(path.join(runDir(runId), TARGET.replace(':', '-')));
  const code = await run.exited;
  await eventually('no process of the run left', 5_000, () => processesMentioning(runDir(runId)).length === 0);
  return { run, code, doc: readResults(out), runId, out };
}

/** `unharmed`: the fault may also meet no scenario at all (the lane was between scenarios, and its quiesce waited it out). */
function expectNoVerdictFromTheFault(f: Faulted, cause: RegExp, unharmed = false): void {
  const { doc } = f;
  const planned = doc.targets.length * new Set(doc.results.map((r) => r.driver)).size * new Set(doc.results.map((r) => r.scenario)).size;
  expect(doc.results, 'every planned result kept').to.have.length(planned);
  expect(
    doc.summary.byVerdict.regression ?? 0,
    `regressions:\n${doc.results
      .filter((r) => r.verdict === 'regression')
      .map((r) => `${r.scenario}: ${r.message}`)
      .join('\n')}`,
  ).to.equal(0);
  const errors = doc.results.filter((r) => r.verdict === 'error');
  expect(errors.length, 'the fault shows as errors').to.be.at.least(unharmed ? 0 : 1);
  expect(
    errors.every((r) => r.target === TARGET),
    'only the faulted target has errors',
  ).to.equal(true);
  expect(
    errors.filter((r) => !cause.test(r.message ?? '')).map((r) => `${r.scenario}: ${r.message}`),
    'every error names the fault',
  ).to.deep.equal([]);
  expect(f.code).to.equal(errors.length ? 2 : 0);
}

describe('the fault campaign', function () {
  this.timeout(300_000);

  it('a backend killed mid-run (PostgreSQL restarts its server processes): errors naming the restart, 0 regression, every result kept', async () => {
    const f = await runWithFault(async (dir) => {
      const postmaster = await poll({ what: `the postmaster of ${dir}`, timeoutMs: 10_000 }, () => processesMentioning(`${dir}/data`)[0]);
      const backend = await poll(
        { what: 'a backend serving the pooler', timeoutMs: 10_000 },
        () => children(postmaster).find((c) => c.cmd.startsWith('postgres: poolcheck '))?.pid,
      );
      process.kill(backend, 'SIGKILL');
    });
    // The kill may land between scenarios, and meet none: PostgreSQL's log says it happened.
    const logged = filesUnder(path.join(f.out, 'logs')).some((file) => /was terminated by signal 9/.test(readFileSync(file, 'utf8')));
    expect(logged, "PostgreSQL's log in the out folder names the killed backend").to.equal(true);
    expectNoVerdictFromTheFault(f, /PostgreSQL (restarted while the scenario ran|did not answer the observer)/, true);
  });

  it("the pooler stopped for longer than a step's deadline, then continued: errors naming the pooler that stopped serving, 0 regression", async () => {
    const f = await runWithFault(async (dir) => {
      const pooler = await poll(
        { what: `the pgbouncer of ${dir}/lane0`, timeoutMs: 10_000 },
        () => processesMentioning(`${dir}/lane0/pgbouncer.ini`)[0],
      );
      process.kill(pooler, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, 8_000));
      process.kill(pooler, 'SIGCONT');
    });
    expectNoVerdictFromTheFault(
      f,
      /a fresh client got no answer either|a login got no answer within the deadline|the quiesce before the scenario failed: .*timed out|did not come in time at first, and the scenario (passed|did what the profile documents) when run again/,
      true,
    );
  });

  it('the pooler killed: its remaining results are errors saying so, 0 regression, nothing left running', async () => {
    const f = await runWithFault(async (dir) => {
      const pooler = await poll(
        { what: `the pgbouncer of ${dir}/lane0`, timeoutMs: 10_000 },
        () => processesMentioning(`${dir}/lane0/pgbouncer.ini`)[0],
      );
      process.kill(pooler, 'SIGKILL');
    });
    expectNoVerdictFromTheFault(f, /pgbouncer|a fresh client got no answer either/);
  });
});
