// --provider docker: the same scenarios in containers (PostgreSQL and each pooler in its own,
// host networking, 127.0.0.1 ports) must give the same verdicts as the local provider, and no
// container may outlive a run, however it ends. Needs an engine and poolcheck's images
// (docker/ci-setup.sh); skipped, with the reason, unless POOLCHECK_DOCKER_TESTS=1.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { eventually, startCli } from './helpers.ts';
import { dockerGate } from './docker-gate.ts';
import { filesContaining, readResults, verdictDiff, type ResultsDoc } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';
import { pgbouncerProfile } from '../../harness/poolers/pgbouncer/profile.ts';
import { pgpoolProfile } from '../../harness/poolers/pgpool/profile.ts';

/**
 * Scenarios a profile documents as optional (a race in the pooler: it may or may not diverge on
 * a given run): ok in one run and documented in the other is the same verdict on the pooler.
 */
const racing = new Set(
  [pgbouncerProfile, pgpoolProfile]
    .flatMap((p) => Object.values(p.modes).flat())
    .filter((e) => e.optional)
    .flatMap((e) => e.scenarios),
);
const sameOnRaces = (line: string) => !(racing.has(line.split(' | ')[0]) && /: (ok -> documented|documented -> ok)$/.test(line));

const gate = await dockerGate();
const tmpOut = (tag: string) => tempDir(`pc-docker-${tag}-`);
const PASSWORD = `pc-docker-secret-${process.pid}-plugh`;

/** Containers (running or not) labelled with this run id. */
function containersOf(runId: string): string[] {
  const r = spawnSync('docker', ['ps', '--all', '--quiet', '--filter', `label=io.poolcheck.run=${runId}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** "started X in N ms" lines: how long each target took to be ready. */
const startTimes = (stderr: string) => Object.fromEntries([...stderr.matchAll(/started (\S+) in (\d+) ms/g)].map((m) => [m[1], Number(m[2])]));

describe('docker provider: a missing engine', () => {
  it('is one line that says how to start one, exit 2', async () => {
    const run = startCli(['run', '--provider', 'docker', '--out', tmpOut('noengine')], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(await run.exited).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.deep.equal([
      'poolcheck: no Docker engine answers at /nonexistent/docker.sock (ENOENT): start one as root with `dockerd --bridge=none --iptables=false --ip6tables=false &` (apt-get install docker.io), or point DOCKER_HOST at one',
    ]);
  });
});

describe('docker provider (containers on the host network)', function () {
  if (!gate.run) {
    it(`is skipped: ${gate.reason}`, function () {
      this.skip();
    });
    return;
  }

  describe('the default scenarios on direct, pgbouncer:transaction and pgpool, drivers raw and pg', function () {
    const targets = 'direct,pgbouncer:transaction,pgpool';
    const dockerOut = tmpOut('matrix');
    const localOut = tmpOut('local');
    let docker: ResultsDoc;
    let local: ResultsDoc;
    let dockerCode: number | null;
    let localCode: number | null;
    let dockerStderr = '';
    let runId = '';

    before(async function () {
      this.timeout(900_000);
      const d = startCli(['run', '--provider', 'docker', '--targets', targets, '--drivers', 'raw,pg', '--out', dockerOut], {
        POOLCHECK_PASSWORD: PASSWORD,
      });
      dockerCode = await d.exited;
      dockerStderr = d.stderr;
      runId = d.stderr.match(/run ([0-9a-f]{6}):/)?.[1] ?? '';
      if (dockerCode !== 0) process.stderr.write(`docker run stdout:\n${d.stdout}\nstderr (tail):\n${d.stderr.slice(-3000)}\n`);
      const l = startCli(['run', '--targets', targets, '--drivers', 'raw,pg', '--out', localOut]);
      localCode = await l.exited;
      docker = readResults(dockerOut);
      local = readResults(localOut);
    });

    it('exits 0 with no error and no regression', () => {
      expect(docker.summary.byVerdict.error, 'errors').to.equal(0);
      expect(docker.summary.byVerdict.regression, 'regressions').to.equal(0);
      expect(dockerCode).to.equal(0);
    });

    it('gives the same verdict as the local provider for every scenario, target and driver', () => {
      expect(docker.results.length).to.equal(local.results.length);
      expect(verdictDiff(local, docker).filter(sameOnRaces)).to.deep.equal([]);
      expect(dockerCode).to.equal(localCode);
    });

    it('records the provider and the versions the binaries in the images report', () => {
      expect(docker.targets.map((t) => t.provider)).to.deep.equal(['docker', 'docker', 'docker']);
      expect(docker.targets.map((t) => [t.id, t.postgresVersion, t.poolerVersion])).to.deep.equal(
        local.targets.map((t) => [t.id, t.postgresVersion, t.poolerVersion]),
      );
      expect(docker.targets[1].poolerVersion).to.match(/^\d+\.\d+/);
    });

    it('leaves no container behind and writes the password nowhere', () => {
      expect(runId).to.match(/^[0-9a-f]{6}$/);
      expect(containersOf(runId)).to.deep.equal([]);
      expect(filesContaining(dockerOut, PASSWORD)).to.deep.equal([]);
    });

    it('reports how long each target took to start in containers', () => {
      const times = startTimes(dockerStderr);
      process.stderr.write(
        `      (target start in containers: ${Object.entries(times)
          .map(([t, ms]) => `${t} ${ms} ms`)
          .join(', ')})\n`,
      );
      expect(Object.keys(times).sort()).to.deep.equal(['direct', 'pgbouncer:transaction', 'pgpool:cache']);
    });
  });

  it('removes every container of the run on SIGINT halfway through', async function () {
    this.timeout(300_000);
    const run = startCli([
      'run',
      '--provider',
      'docker',
      '--targets',
      'direct,pgbouncer:transaction,pgpool',
      '--drivers',
      'raw,pg',
      '--lanes',
      '2',
      '--out',
      tmpOut('sigint'),
    ]);
    const [, runId] = await run.waitFor(/run ([0-9a-f]{6}):/, 60_000);
    await run.waitFor(/\[\s*\d+\/\d+\] [4-9]\d%/, 240_000);
    // PostgreSQL for each target (3), a pgbouncer per lane (2), and a pgpool per pool of each
    // lane (4: pgpool's single pool is an instance of its own, pooler-instances.ts).
    expect(containersOf(runId).length, 'containers running before SIGINT').to.equal(9);
    run.child.kill('SIGINT');
    expect(await run.exited).to.equal(130);
    expect(containersOf(runId)).to.deep.equal([]);
  });

  it('removes what a SIGKILLed run left before the next run starts', async function () {
    this.timeout(300_000);
    const killed = startCli(['run', '--provider', 'docker', '--targets', 'pgbouncer:transaction', '--out', tmpOut('killed')]);
    const [, runId] = await killed.waitFor(/run ([0-9a-f]{6}):/, 60_000);
    await killed.waitFor(/started pgbouncer:transaction/, 120_000);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(containersOf(runId).length, 'containers orphaned by SIGKILL').to.be.at.least(2);

    const next = startCli([
      'run',
      '--provider',
      'docker',
      '--targets',
      'direct',
      '--drivers',
      'raw',
      '--scenarios',
      'sequences/currval-sees-other-clients-nextval',
      '--out',
      tmpOut('next'),
    ]);
    expect(await next.exited).to.equal(0);
    expect(next.stderr).to.match(/removed \d+ container\(s\) left by an earlier run that was killed/);
    await eventually('no container of the killed run', 10_000, () => containersOf(runId).length === 0);
  });

  describe("a user's image (--image)", () => {
    // A release candidate as it would arrive from a registry: here poolcheck's own pgbouncer
    // image under another name, since no registry can be reached.
    const RC = 'registry.example/pgbouncer:1.18.0-rc1';
    before(() => {
      const r = spawnSync('docker', ['tag', 'poolcheck/pgbouncer:bookworm', RC], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`docker tag failed: ${r.stderr}`);
    });
    after(() => {
      spawnSync('docker', ['rmi', RC], { stdio: 'ignore' });
    });

    it('runs that image with the config the adapter renders, and records what it reports', async function () {
      this.timeout(300_000);
      const out = tmpOut('image');
      const run = startCli([
        'run',
        '--provider',
        'docker',
        '--image',
        `pgbouncer=${RC}`,
        '--targets',
        'pgbouncer:transaction',
        '--drivers',
        'raw',
        '--scenarios',
        'session-state/set-visible-to-next-client,sequences/currval-sees-other-clients-nextval',
        '--out',
        out,
      ]);
      expect(await run.exited, run.stderr.slice(-2000)).to.equal(0);
      expect(run.stderr).to.contain(`images: postgres=poolcheck/postgres:bookworm, pgbouncer=${RC}`);
      const doc = readResults(out);
      expect(doc.targets[1]).to.include({ id: 'pgbouncer:transaction', provider: 'docker', poolerVersion: '1.18.0' });
      expect(doc.results.filter((r) => r.target === 'pgbouncer:transaction').map((r) => r.verdict)).to.deep.equal(['documented', 'documented']);
    });

    it('names the fix, in one line, for an image that is not in the engine (never pulling it)', async () => {
      const run = startCli([
        'run',
        '--provider',
        'docker',
        '--image',
        'pgbouncer=registry.example/pgbouncer:missing',
        '--targets',
        'pgbouncer:transaction',
        '--out',
        tmpOut('missing'),
      ]);
      expect(await run.exited).to.equal(2);
      expect(run.stderr.trim().split('\n')).to.deep.equal([
        'poolcheck: image registry.example/pgbouncer:missing is not in the Docker engine (poolcheck never pulls): `docker pull registry.example/pgbouncer:missing` or `docker load` it first',
      ]);
    });
  });
});
