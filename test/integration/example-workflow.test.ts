// The README's workflow for a pooler's repository (examples/github/pooler-ci.yml) must run as
// written: its shard job's steps, in a bare debian:bookworm-slim container (poolcheck's base
// image: no compiler, no PostgreSQL, no postgres user) as root, end in a passing shard. What
// GitHub's actions do is stood in for (workflow-job.ts): the checkout is this working tree,
// Node is the host's Node 20, and the build job's pgbouncer artifact is Debian's pgbouncer (the
// build job needs the pooler's repository, which cannot be fetched here). A poolcheck.config.json
// in the checkout narrows the run to one driver and a few scenarios; the steps' command lines are
// the workflow's own. Needs an engine and the base image (docker/ci-setup.sh); skipped, with the
// reason, unless POOLCHECK_DOCKER_TESTS=1.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../root.ts';
import { tempDir } from '../temp-dir.ts';
import { dockerGate } from './docker-gate.ts';
import { ContainerJob, WORKSPACE, type Job } from './workflow-job.ts';

const gate = await dockerGate();
const WORKFLOW = path.join(ROOT, 'examples', 'github', 'pooler-ci.yml');
const PGBOUNCER = '/usr/sbin/pgbouncer';

/** This working tree as a checkout has it: tracked and new files, nothing git ignores (node_modules, reports). */
function copyCheckout(into: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const rel of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, rel);
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(into, rel)), { recursive: true });
    copyFileSync(from, path.join(into, rel));
  }
  // A small run: one driver, the SET scenarios, one lane (the workflow's command line names neither).
  writeFileSync(path.join(into, 'poolcheck.config.json'), JSON.stringify({ drivers: ['raw'], scenarios: 'session-state/set-*', lanes: 1 }));
}

describe('the example workflow of a pooler repository (examples/github/pooler-ci.yml), shard job', function () {
  if (!gate.run) {
    it(`is skipped: ${gate.reason}`, function () {
      this.skip();
    });
    return;
  }
  this.timeout(40 * 60_000);
  const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, Job> };
  const shard = workflow.jobs.poolcheck;
  const workspace = tempDir('pc-workflow-');
  const npmCache = path.join(os.homedir(), '.npm');
  const job = new ContainerJob(shard, {
    workspace,
    checkout: (into) => copyCheckout(into),
    artifact: (name) => {
      if (name !== 'pgbouncer') throw new Error(`no artifact ${name}`);
      return PGBOUNCER;
    },
    expressions: { 'matrix.shard': '1' },
    // npm's download cache only, so that npm ci does not fetch every package again for each run of the test.
    dockerArgs: existsSync(npmCache) ? ['--volume', `${npmCache}:/root/.npm`] : [],
  });

  before(function () {
    if (!existsSync(PGBOUNCER)) throw new Error(`${PGBOUNCER} (the stand-in for the build job's artifact) is missing: apt-get install pgbouncer`);
    expect(shard.container).to.equal('debian:bookworm-slim');
    job.start();
    job.runSteps(25 * 60_000);
  });
  after(() => job.stop());

  it('runs every step as the workflow writes it, each passing', () => {
    const failed = job.outcomes.filter((o) => o.status !== 0);
    expect(failed.map((o) => `${o.step} (exit ${o.status}):\n${o.output.slice(-4000)}`).join('\n\n')).to.equal('');
    expect(job.outcomes.map((o) => o.step)).to.include('poolcheck shard 1/3');
    expect(job.outcomes).to.have.length(shard.steps.length);
  });

  it('installs poolcheck with Node alone: pg-native, which cannot build there, is left out and named with what it needs', () => {
    const doctor = job.exec('npx poolcheck doctor --targets direct --drivers raw,libpq', `${WORKSPACE}/poolcheck`);
    expect(doctor.status, doctor.output).to.equal(1);
    expect(doctor.output).to.match(/MISSING\s+driver libpq\s+pg-native .*apt-get install -y build-essential python3 libpq-dev, then run npm ci/);
    expect(doctor.output).to.match(/ok\s+server user\s+postgres/);
  });

  it("writes the shard's reports: its part of the matrix judged, no error, no regression", () => {
    const results = JSON.parse(readFileSync(path.join(workspace, 'shard-1', 'results.json'), 'utf8')) as {
      run: { shard?: unknown };
      results: Array<{ verdict: string }>;
      targets: Array<{ id: string }>;
    };
    expect(results.run.shard).to.deep.equal({ index: 1, count: 3 });
    expect(results.results.length).to.be.above(0);
    expect(results.results.filter((r) => ['error', 'regression', 'changed'].includes(r.verdict))).to.deep.equal([]);
    expect(results.targets.map((t) => t.id)).to.include('pgbouncer:transaction');
    expect(existsSync(path.join(workspace, 'shard-1', 'shard.json'))).to.equal(true);
  });
});
