// --provider external against a target that is "already running somewhere": pgbouncer in
// transaction mode in front of PostgreSQL, started by the local provider in another process.
// poolcheck gets only its URLs and the password through the environment, and must find what
// a local run finds.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCli } from './helpers.ts';
import { serve, stopServed, url, type Served } from './served-target.ts';
import { filesContaining, readResults, verdictDiff } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const PASSWORD = `pc-external-secret-${process.pid}-xyzzy`;
const SCENARIOS = 'session-state,sequences';
const tmpOut = (tag: string) => tempDir(`pc-ext-${tag}-`);

describe('external provider (pointed at a pgbouncer:transaction the local provider started)', function () {
  let child: ChildProcess;
  let served: Served;

  before(async function () {
    this.timeout(90_000);
    ({ child, served } = await serve('pgbouncer:transaction', PASSWORD));
  });
  after(() => stopServed(child));

  const externalArgs = (out: string, admin: boolean) => [
    'run',
    '--provider',
    'external',
    '--external-pooler',
    'pgbouncer:transaction',
    '--external-pooled',
    url(served.user, served.pooled),
    '--external-single',
    url(served.user, served.single),
    '--external-direct',
    url(served.user, served.direct),
    ...(admin ? ['--external-admin', url(served.user, served.pooled, 'pgbouncer')] : []),
    '--password-env',
    'PC_EXTERNAL_TEST_PASSWORD',
    '--drivers',
    'raw,pg',
    '--scenarios',
    SCENARIOS,
    '--out',
    out,
  ];

  it('gives the same verdicts as a local run, with the version from the admin console, and no password anywhere', async function () {
    this.timeout(400_000);
    const out = tmpOut('admin');
    const run = startCli(externalArgs(out, true), { PC_EXTERNAL_TEST_PASSWORD: PASSWORD });
    const code = await run.exited;
    const localOut = tmpOut('local');
    const local = startCli([
      'run',
      '--targets',
      'pgbouncer:transaction',
      '--drivers',
      'raw,pg',
      '--scenarios',
      SCENARIOS,
      '--lanes',
      '1',
      '--out',
      localOut,
    ]);
    const localCode = await local.exited;

    const doc = readResults(out);
    expect(doc.summary.byVerdict.error, run.stderr.slice(-2000)).to.equal(0);
    expect(verdictDiff(readResults(localOut), doc)).to.deep.equal([]);
    expect(code).to.equal(localCode);
    expect(doc.targets.map((t) => [t.id, t.provider, t.poolerVersion])).to.deep.equal([
      ['direct', 'external', null],
      ['pgbouncer:transaction', 'external', served.poolerVersion],
    ]);
    expect(doc.targets[0].postgresVersion).to.match(/^\d+\.\d+/);
    const set = doc.results.filter((r) => r.scenario === 'session-state/set-visible-to-next-client' && r.target === 'pgbouncer:transaction');
    expect(set.map((r) => r.verdict)).to.deep.equal(['documented', 'documented']);
    expect(filesContaining(out, PASSWORD)).to.deep.equal([]);
    expect(run.stdout + run.stderr).not.to.contain(PASSWORD);
  });

  it("quiesces without the admin console through the pooler's own clients: the same verdicts as a local run, no error", async function () {
    this.timeout(400_000);
    const out = tmpOut('noadmin');
    const run = startCli(externalArgs(out, false), { PC_EXTERNAL_TEST_PASSWORD: PASSWORD });
    await run.exited;
    expect(run.stderr).to.contain("no --external-admin: between scenarios the pooler's own clients end its server connections");
    const doc = readResults(out);
    expect(doc.summary.byVerdict.error, run.stderr.slice(-2000)).to.equal(0);
    expect(doc.targets[1].poolerVersion).to.equal(null);
    // A quiesce that ended servers behind pgbouncer's back would show as 57P01 somewhere.
    expect(doc.results.filter((r) => /57P01|terminating connection/.test(r.message ?? '')).map((r) => r.scenario)).to.deep.equal([]);
    const localOut = tmpOut('local-noadmin');
    await startCli(['run', '--targets', 'pgbouncer:transaction', '--drivers', 'raw,pg', '--scenarios', SCENARIOS, '--lanes', '1', '--out', localOut])
      .exited;
    expect(verdictDiff(readResults(localOut), doc)).to.deep.equal([]);
  });

  it('certifies a pooler poolcheck never heard of: every divergence unprofiled, exit 0; with a profile file, documented', async function () {
    this.timeout(400_000);
    const args = (out: string) => [
      'run',
      '--provider',
      'external',
      '--external-pooler',
      'mypooler:transaction',
      '--external-pooled',
      url(served.user, served.pooled),
      '--external-single',
      url(served.user, served.single),
      '--external-direct',
      url(served.user, served.direct),
      '--password-env',
      'PC_EXTERNAL_TEST_PASSWORD',
      '--drivers',
      'raw,pg',
      '--scenarios',
      SCENARIOS,
      '--out',
      out,
    ];
    const bare = tmpOut('mypooler');
    const run = startCli(args(bare), { PC_EXTERNAL_TEST_PASSWORD: PASSWORD });
    expect(await run.exited, run.stderr.slice(-2000)).to.equal(0);
    expect(run.stderr).to.contain('poolcheck has no profile for mypooler');
    const doc = readResults(bare);
    const pooled = doc.results.filter((r) => r.target === 'mypooler:transaction');
    const diverged = pooled.filter((r) => r.outcome === 'diverge');
    expect(diverged.length).to.be.greaterThan(10);
    expect([...new Set(diverged.map((r) => r.verdict))]).to.deep.equal(['unprofiled']);
    expect(doc.summary.byVerdict.regression + doc.summary.byVerdict.error).to.equal(0);

    // What a pooler team writes once: every divergence of these two families is expected.
    const profile = path.join(tmpOut('mypooler-profile'), 'mypooler.yaml');
    writeFileSync(
      profile,
      [
        'pooler: mypooler',
        'modes:',
        '  transaction:',
        '    - scenarios: [session-state/*, sequences/*]',
        '      reason: a server connection is shared by the clients of consecutive transactions',
        '      link: https://example.org/mypooler/limitations',
        '      optional: true',
        '',
      ].join('\n'),
    );
    const profiled = tmpOut('mypooler-profiled');
    const again = startCli([...args(profiled), '--profile', profile], { PC_EXTERNAL_TEST_PASSWORD: PASSWORD });
    expect(await again.exited, again.stderr.slice(-2000)).to.equal(0);
    const after = readResults(profiled).results.filter((r) => r.target === 'mypooler:transaction' && r.outcome === 'diverge');
    expect(after.length).to.equal(diverged.length);
    expect([...new Set(after.map((r) => r.verdict))]).to.deep.equal(['documented']);
  });

  it('refuses a URL with a password and a missing --external-pooler, in one line, exit 2', async () => {
    const withPassword = startCli([
      'run',
      '--provider',
      'external',
      '--external-pooler',
      'pgbouncer:transaction',
      '--external-pooled',
      `postgres://${served.user}:${PASSWORD}@127.0.0.1:${served.pooled.port}/x`,
      '--external-direct',
      url(served.user, served.direct),
    ]);
    expect(await withPassword.exited).to.equal(2);
    expect(withPassword.stderr.trim().split('\n')).to.have.length(1);
    expect(withPassword.stderr).to.contain('the URL holds a password').and.not.to.contain(PASSWORD);
    const noPooler = startCli([
      'run',
      '--provider',
      'external',
      '--external-pooled',
      url(served.user, served.pooled),
      '--external-direct',
      url(served.user, served.direct),
    ]);
    expect(await noPooler.exited).to.equal(2);
    expect(noPooler.stderr.trim()).to.equal('poolcheck: --provider external needs --external-pooler (e.g. --external-pooler pgbouncer:transaction)');
  });

  it('stops at once when --external-single reaches another database than --external-pooled: one line naming both URLs, exit 2, no report', async () => {
    const out = tempDir('pc-ext-elsewhere-');
    const started = Date.now();
    // The server the pooler fronts, but its postgres database: a single route that logs in fine and leads elsewhere.
    const elsewhere = url(served.user, served.direct, 'postgres');
    const run = startCli(
      [
        'run',
        '--provider',
        'external',
        '--external-pooler',
        'pgbouncer:transaction',
        '--password-env',
        'PC_EXTERNAL_TEST_PASSWORD',
        '--external-pooled',
        url(served.user, served.pooled),
        '--external-single',
        elsewhere,
        '--external-direct',
        url(served.user, served.direct),
        '--drivers',
        'raw',
        '--scenarios',
        SCENARIOS,
        '--out',
        out,
      ],
      { PC_EXTERNAL_TEST_PASSWORD: PASSWORD },
    );
    expect(await run.exited, run.stderr).to.equal(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).to.have.length(1);
    expect(lines[0]).to.equal(
      `poolcheck: --external-single ${elsewhere} does not reach what --external-pooled ${url(served.user, served.pooled)} reaches: ` +
        `database postgres against ${served.direct.database}; both must lead to the same database as the same role`,
    );
    expect(run.stderr).not.to.contain(PASSWORD);
    expect(readdirSync(out), 'nothing written').to.deep.equal([]);
    // Issue 22 took 406 s to fail; a loaded 2-core machine can take 15 s just to start Node and load the catalogue.
    expect(Date.now() - started, 'before any scenario').to.be.below(60_000);
  });

  it('stops at once on a wrong password or a URL nothing answers: one line naming the URL and the answer, exit 2, no report', async () => {
    const attempt = async (pooled: string, password: string) => {
      const out = tempDir('pc-ext-refused-');
      const started = Date.now();
      const run = startCli(
        [
          'run',
          '--provider',
          'external',
          '--external-pooler',
          'pgbouncer:transaction',
          '--password-env',
          'PC_EXTERNAL_TEST_PASSWORD',
          '--external-pooled',
          pooled,
          '--external-direct',
          url(served.user, served.direct),
          '--drivers',
          'raw',
          '--out',
          out,
        ],
        { PC_EXTERNAL_TEST_PASSWORD: password },
      );
      expect(await run.exited).to.equal(2);
      expect(Date.now() - started, 'well inside the 15 s a server is given to start').to.be.below(10_000);
      expect(run.stderr.trim().split('\n'), run.stderr).to.have.length(1);
      expect(readdirSync(out), 'nothing written').to.deep.equal([]);
      return run.stderr;
    };
    const wrong = await attempt(url(served.user, served.pooled), 'not-the-password');
    expect(wrong)
      .to.match(/^poolcheck: --external-direct postgres:\/\/[^@]+@127\.0\.0\.1:\d+\/\S+: cannot log in: .*password authentication failed/)
      .and.not.to.contain('not-the-password');
    const closed = await attempt(`postgres://${served.user}@127.0.0.1:1/x`, PASSWORD);
    expect(closed)
      .to.match(/^poolcheck: --external-pooled postgres:\/\/[^@]+@127\.0\.0\.1:1\/x: cannot log in: .*ECONNREFUSED/)
      .and.not.to.contain(PASSWORD);
  });
});
