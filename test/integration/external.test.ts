// --provider external against a target that is "already running somewhere": pgbouncer in
// transaction mode in front of PostgreSQL, started by the local provider in another process.
// poolcheck gets only its URLs and the password through the environment, and must find what
// a local run finds.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT, startCli } from './helpers.ts';
import { filesContaining, readResults, verdictDiff } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

interface Where { host: string; port: number; database: string }
interface Served { runId: string; user: string; pooled: Where; single: Where; direct: Where; poolerVersion: string }

const PASSWORD = `pc-external-secret-${process.pid}-xyzzy`;
const SCENARIOS = 'session-state,sequences';
const tmpOut = (tag: string) => tempDir(`pc-ext-${tag}-`);
const url = (user: string, w: Where, database = w.database) => `postgres://${user}@${w.host}:${w.port}/${database}`;

/** Starts the fixture and resolves with where its target is, once it is up (with a deadline). */
function serve(target: string): Promise<{ child: ChildProcess; served: Served }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/integration/fixtures/serve-local-target.ts'), target, tmpOut('served-logs')], {
    cwd: ROOT, env: { ...process.env, POOLCHECK_PASSWORD: PASSWORD }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local ${target} did not come up within 60 s: ${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, served: JSON.parse(out.split('\n')[0]) });
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the fixture exited (${code}) before serving: ${err}`)); });
  });
}

describe('external provider (pointed at a pgbouncer:transaction the local provider started)', function () {
  let child: ChildProcess;
  let served: Served;

  before(async function () {
    this.timeout(90_000);
    ({ child, served } = await serve('pgbouncer:transaction'));
  });
  after(async () => {
    // Closing its stdin makes the fixture stop its servers and exit.
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin!.end();
    await exited;
  });

  const externalArgs = (out: string, admin: boolean) => [
    'run', '--provider', 'external', '--external-pooler', 'pgbouncer:transaction',
    '--external-pooled', url(served.user, served.pooled), '--external-single', url(served.user, served.single),
    '--external-direct', url(served.user, served.direct),
    ...(admin ? ['--external-admin', url(served.user, served.pooled, 'pgbouncer')] : []),
    '--password-env', 'PC_EXTERNAL_TEST_PASSWORD', '--drivers', 'raw,pg', '--scenarios', SCENARIOS, '--out', out,
  ];

  it('gives the same verdicts as a local run, with the version from the admin console, and no password anywhere', async function () {
    this.timeout(400_000);
    const out = tmpOut('admin');
    const run = startCli(externalArgs(out, true), { PC_EXTERNAL_TEST_PASSWORD: PASSWORD });
    const code = await run.exited;
    const localOut = tmpOut('local');
    const local = startCli(['run', '--targets', 'pgbouncer:transaction', '--drivers', 'raw,pg', '--scenarios', SCENARIOS, '--lanes', '1', '--out', localOut]);
    const localCode = await local.exited;

    const doc = readResults(out);
    expect(doc.summary.byVerdict.error, run.stderr.slice(-2000)).to.equal(0);
    expect(verdictDiff(readResults(localOut), doc)).to.deep.equal([]);
    expect(code).to.equal(localCode);
    expect(doc.targets.map((t) => [t.id, t.provider, t.poolerVersion])).to.deep.equal([['direct', 'external', null], ['pgbouncer:transaction', 'external', served.poolerVersion]]);
    expect(doc.targets[0].postgresVersion).to.match(/^\d+\.\d+/);
    const set = doc.results.filter((r) => r.scenario === 'session-state/set-visible-to-next-client' && r.target === 'pgbouncer:transaction');
    expect(set.map((r) => r.verdict)).to.deep.equal(['documented', 'documented']);
    expect(filesContaining(out, PASSWORD)).to.deep.equal([]);
    expect(run.stdout + run.stderr).not.to.contain(PASSWORD);
  });

  it('quiesces without the admin console by ending the lane\'s backends, with no error', async function () {
    this.timeout(400_000);
    const out = tmpOut('noadmin');
    const run = startCli(externalArgs(out, false), { PC_EXTERNAL_TEST_PASSWORD: PASSWORD });
    await run.exited;
    expect(run.stderr).to.contain('no --external-admin: the quiesce only ends the lane\'s backends');
    const doc = readResults(out);
    expect(doc.summary.byVerdict.error, run.stderr.slice(-2000)).to.equal(0);
    expect(doc.targets[1].poolerVersion).to.equal(null);
  });

  it('refuses a URL with a password and a missing --external-pooler, in one line, exit 2', async () => {
    const withPassword = startCli(['run', '--provider', 'external', '--external-pooler', 'pgbouncer:transaction',
      '--external-pooled', `postgres://${served.user}:${PASSWORD}@127.0.0.1:${served.pooled.port}/x`, '--external-direct', url(served.user, served.direct)]);
    expect(await withPassword.exited).to.equal(2);
    expect(withPassword.stderr.trim().split('\n')).to.have.length(1);
    expect(withPassword.stderr).to.contain('the URL holds a password').and.not.to.contain(PASSWORD);
    const noPooler = startCli(['run', '--provider', 'external', '--external-pooled', url(served.user, served.pooled), '--external-direct', url(served.user, served.direct)]);
    expect(await noPooler.exited).to.equal(2);
    expect(noPooler.stderr.trim()).to.equal('poolcheck: --provider external needs --external-pooler (e.g. --external-pooler pgbouncer:transaction)');
  });
});
