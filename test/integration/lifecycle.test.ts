// Nothing leaks: Ctrl-C stops every server; a run after a SIGKILLed run cleans up after it.
import { expect } from 'chai';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { knownPoolerIds } from '../../harness/poolers/known-poolers.ts';
import { commandLines, eventually, processesMentioning, runDir, startCli } from './helpers.ts';
import { readResults } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const tmpOut = () => tempDir('pc-life-');

describe('process lifecycle', function () {
  it('stops every server within 2 s of SIGINT to the process group halfway through a run, and keeps what it finished', async () => {
    const out = tmpOut();
    const run = startCli(['run', '--out', out], {}, { group: true });
    const [, runId] = await run.waitFor(/run ([0-9a-f]{6}):/, 30_000);
    await run.waitFor(/\[\s*\d+\/\d+\]/, 60_000);
    expect(processesMentioning(runDir(runId)).length, 'servers running before SIGINT').to.be.at.least(4);
    process.kill(-run.child.pid!, 'SIGINT');
    const signalled = Date.now();
    await eventually('no process of the interrupted run', 2_000, () => processesMentioning(runDir(runId)).length === 0).catch((err: Error) => {
      throw new Error(`${err.message}; left: ${commandLines(processesMentioning(runDir(runId))).join(' | ')}`);
    });
    expect(Date.now() - signalled).to.be.below(2_000);
    expect(await run.exited).to.equal(130);
    expect(existsSync(runDir(runId))).to.equal(false);
    const doc = readResults(out);
    expect(doc.run.interrupted?.reason).to.equal('SIGINT');
    expect(doc.results.length).to.be.greaterThan(0).and.below(doc.run.interrupted!.planned);
    // Only what finished before the signal is a result: nothing that failed as the servers stopped.
    const [before, after] = run.stderr.split(/poolcheck: SIGINT received.*\n/);
    expect(after, 'problems reported after SIGINT').to.not.match(/^(error:|FAILED)/m);
    for (const r of doc.results.filter((x) => x.outcome === 'error')) expect(before).to.contain(`error: ${r.target} ${r.driver} ${r.scenario}:`);
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).to.contain('**Interrupted** (SIGINT)');
  });

  it('stops on SIGTERM too', async () => {
    const run = startCli(['run', '--targets', 'pgbouncer:transaction', '--out', tmpOut()]);
    const [, runId] = await run.waitFor(/run ([0-9a-f]{6}):/, 30_000);
    await run.waitFor(/started pgbouncer:transaction/, 60_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).to.equal(143);
    await eventually('no process of the terminated run', 10_000, () => processesMentioning(runDir(runId)).length === 0);
  });

  it('removes what a SIGKILLed run left before the next run starts', async () => {
    const killed = startCli(['run', '--targets', 'pgbouncer:transaction', '--out', tmpOut()]);
    const [, runId] = await killed.waitFor(/run ([0-9a-f]{6}):/, 30_000);
    await killed.waitFor(/started pgbouncer:transaction/, 60_000);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(processesMentioning(runDir(runId)).length, 'servers orphaned by SIGKILL').to.be.at.least(2);

    const next = startCli([
      'run',
      '--targets',
      'direct',
      '--drivers',
      'raw',
      '--scenarios',
      'sequences/currval-sees-other-clients-nextval',
      '--out',
      tmpOut(),
    ]);
    expect(await next.exited).to.equal(0);
    expect(next.stderr).to.match(/stopped \d+ server process\(es\) left by an earlier run that was killed/);
    await eventually('no process of the killed run', 10_000, () => processesMentioning(runDir(runId)).length === 0);
    expect(existsSync(runDir(runId))).to.equal(false);
  });
});

describe('the state folder', () => {
  const quick = ['run', '--targets', 'direct', '--drivers', 'raw', '--scenarios', 'sequences/currval-before-nextval-fails'];
  const planted = () => {
    const tmp = tempDir('pc-tmp-');
    // The servers run as postgres when we are root: they must pass through TMPDIR.
    chmodSync(tmp, 0o711);
    const victim = tempDir('pc-victim-');
    writeFileSync(path.join(victim, 'precious'), 'keep me');
    return { tmp, victim, uid: process.getuid?.() ?? 0 };
  };

  it('is never followed through a symlink someone planted: one line, exit 2, nothing removed', async () => {
    const { tmp, victim, uid } = planted();
    symlinkSync(victim, path.join(tmp, `poolcheck-${uid}`));
    const run = startCli([...quick, '--out', tmpOut()], { TMPDIR: tmp });
    expect(await run.exited).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.deep.equal([
      `poolcheck: poolcheck's state folder ${tmp}/poolcheck-${uid} is a symbolic link: remove it (poolcheck recreates it) or point TMPDIR elsewhere`,
    ]);
    expect(readdirSync(victim)).to.deep.equal(['precious']);
  });

  it('says in one line when the servers could not reach it (a private TMPDIR), before anything starts', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const tmp = tempDir('pc-private-');
    chmodSync(tmp, 0o700);
    const run = startCli([...quick, '--out', tmpOut()], { TMPDIR: tmp });
    expect(await run.exited).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    expect(run.stderr).to.contain(`the servers run as postgres, who may not pass through ${tmp} (mode 700)`);
  });

  it('leaves alone what is not a run folder of its own when it clears leftovers', async () => {
    const { tmp, victim, uid } = planted();
    const root = path.join(tmp, `poolcheck-${uid}`);
    mkdirSync(root, { mode: 0o711 });
    symlinkSync(victim, path.join(root, 'abcdef'));
    const run = startCli([...quick, '--out', tmpOut()], { TMPDIR: tmp });
    expect(await run.exited, run.stderr).to.equal(0);
    expect(readdirSync(victim)).to.deep.equal(['precious']);
    expect(lstatSync(path.join(root, 'abcdef')).isSymbolicLink()).to.equal(true);
    expect((statSync(root).mode & 0o777).toString(8)).to.equal('711');
  });
});

describe('bad input', () => {
  it('names the valid targets for an unknown one, in one line, exit 2', async () => {
    const run = startCli(['run', '--targets', 'pgcat:transaction']);
    expect(await run.exited).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.deep.equal([
      `poolcheck: unknown target "pgcat:transaction"; known poolers: direct, ${knownPoolerIds.join(', ')} (e.g. pgbouncer:transaction; any pooler can be certified with --provider external)`,
    ]);
  });

  it('names the fix for a missing pooler binary, exit 2', async () => {
    const run = startCli(['run', '--targets', 'pgbouncer:session', '--pgbouncer-bin', '/nonexistent/pgbouncer', '--out', tmpOut()]);
    expect(await run.exited).to.equal(2);
    expect(run.stderr).to.contain('/nonexistent/pgbouncer (given with --pgbouncer-bin PATH) is not an executable file');
  });

  it('refuses each bad value in one line, exit 2, before anything starts, and never repeats a password', async () => {
    const config = path.join(tmpOut(), 'poolcheck.config.json');
    writeFileSync(config, JSON.stringify({ targets: 5 }));
    const cases: Array<[string[], RegExp]> = [
      [['--step-timeout', '3000000000'], /--step-timeout takes a whole number from 100 to 2147483647/],
      [['--drivers', ','], /--drivers names nothing/],
      [['--config', config], /"targets" takes a comma list/],
      [['--targets', 'pgbouncer', '--pgbouncer-bin', '/tmp'], /\/tmp \(given with --pgbouncer-bin PATH\) is not an executable file/],
      [
        [
          '--provider',
          'external',
          '--external-pooler',
          'pgbouncer:transaction',
          '--external-pooled',
          'postgres://app:PW-secret@127.0.0.1:bad/db',
          '--external-direct',
          'postgres://app@127.0.0.1:5432/db',
        ],
        /--external-pooled: .* is not a URL/,
      ],
    ];
    for (const [args, error] of cases) {
      const run = startCli(['run', ...args, '--out', tmpOut()]);
      expect(await run.exited, args.join(' ')).to.equal(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).to.have.length(1);
      expect(run.stderr, args.join(' ')).to.match(error).and.not.to.contain('PW-secret').and.not.to.contain('starting');
    }
  });

  it('stops quietly when the reader of its output goes away (list | head)', async () => {
    const run = startCli(['list', 'scenarios']);
    run.child.stdout!.once('data', () => run.child.stdout!.destroy());
    expect(await run.exited).to.equal(0);
    expect(run.stderr).to.equal('');
  });

  it('rejects an unknown driver and lists the known ones', async () => {
    const run = startCli(['run', '--drivers', 'jdbc']);
    expect(await run.exited).to.equal(2);
    expect(run.stderr).to.contain('unknown driver "jdbc"; known: raw, pg, postgres.js');
  });
});
