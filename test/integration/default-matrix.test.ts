// The real default certification through the CLI a user runs: the default targets (direct,
// pgbouncer in all three modes, pgpool) and every scenario, with the three JavaScript drivers
// (the drivers of other languages have their own test). It must agree with PostgreSQL on
// direct, show no regression against the profiles, and really detect the known divergences.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startCli } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

interface Result {
  scenario: string;
  category: string;
  target: string;
  driver: string;
  outcome: string;
  verdict: string;
  message: string | null;
  transcript: string | null;
}

const PASSWORD = `pc-secret-${process.pid}-xyzzy`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('default certification run (direct, pgbouncer session/transaction/statement, pgpool; raw, pg, postgres.js)', function () {
  const out = tempDir('pc-matrix-');
  let code: number | null;
  let doc: {
    targets: Array<{ id: string; poolerVersion: string | null }>;
    drivers: Array<{ id: string }>;
    results: Result[];
    summary: { byVerdict: Record<string, number> };
  };
  let stdout = '';
  const results = () => doc.results;
  const on = (target: string) => results().filter((r) => r.target === target);

  let run: ReturnType<typeof startCli> | undefined;
  // A deadline against a hang, not a speed check (the run grows with the catalogue and took
  // just over 300 s on CI's machine): how long it takes is npm run bench's business.
  before(async function () {
    this.timeout(900_000);
    const t0 = Date.now();
    const cli = startCli(['run', '--drivers', 'raw,pg,postgres.js', '--out', out], { POOLCHECK_PASSWORD: PASSWORD });
    run = cli;
    code = await cli.exited;
    process.stderr.write(`      (default run took ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    stdout = cli.stdout;
    if (code !== 0) process.stderr.write(`poolcheck stdout:\n${cli.stdout}\nstderr (tail):\n${cli.stderr.slice(-3000)}\n`);
    doc = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
  });

  // A run the hook gave up on must not go on beside the next tests: SIGTERM makes poolcheck
  // stop what it started.
  after(() => {
    if (run && run.child.exitCode === null) run.child.kill('SIGTERM');
  });

  it('exits 0 with no error and no regression', () => {
    expect(doc.summary.byVerdict.error, 'errors').to.equal(0);
    expect(doc.summary.byVerdict.regression, 'regressions').to.equal(0);
    expect(code).to.equal(0);
    expect(stdout).to.match(
      /\d+ results in [\d.]+ s: \d+ ok, \d+ skipped, \d+ documented, 0 changed, 0 regression, \d+ improved, 0 unprofiled, 0 error/,
    );
  });

  it('covers at least 150 scenarios over at least eight categories on five targets and three drivers', () => {
    const scenarios = new Set(results().map((r) => r.scenario));
    expect(scenarios.size).to.be.at.least(150);
    expect(new Set(results().map((r) => r.category)).size).to.be.at.least(8);
    expect([...new Set(results().map((r) => r.category))]).to.include.members([
      'backend-pid',
      'cancel',
      'prepared-statements',
      'sequences',
      'session-state',
    ]);
    expect(doc.targets.map((t) => t.id)).to.deep.equal([
      'direct',
      'pgbouncer:session',
      'pgbouncer:transaction',
      'pgbouncer:statement',
      'pgpool:cache',
    ]);
    expect(doc.drivers.map((d) => d.id)).to.deep.equal(['raw', 'pg', 'postgres.js']);
    expect(results().length).to.equal(scenarios.size * 5 * 3);
    expect(doc.targets[1].poolerVersion).to.match(/^\d+\.\d+/);
  });

  it('passes every scenario on direct PostgreSQL (skips only for a missing driver capability)', () => {
    const bad = on('direct').filter((r) => r.outcome !== 'pass' && !(r.outcome === 'skip' && /lacks/.test(r.message ?? '')));
    expect(bad.map((r) => `${r.scenario} ${r.driver}: ${r.outcome} ${r.message}`)).to.deep.equal([]);
    for (const s of new Set(results().map((r) => r.scenario))) {
      expect(
        on('direct').some((r) => r.scenario === s && r.outcome === 'pass'),
        `${s} passes on direct with some driver`,
      ).to.equal(true);
    }
  });

  it('detects that a SET by one client is seen by the next in transaction mode (documented)', () => {
    const r = on('pgbouncer:transaction').filter((x) => x.scenario === 'session-state/set-visible-to-next-client');
    expect(r.map((x) => x.outcome)).to.deep.equal(['diverge', 'diverge', 'diverge']);
    expect(r.map((x) => x.verdict)).to.deep.equal(['documented', 'documented', 'documented']);
    expect(r[0].message).to.match(/expected rows .*got rows/);
  });

  it('detects 42P05 when a second client prepares the same statement name in transaction mode (documented)', () => {
    const r = on('pgbouncer:transaction').filter((x) => x.scenario === 'prepared-statements/named-same-name-in-two-clients' && x.outcome !== 'skip');
    expect(r.length).to.be.at.least(2);
    for (const x of r) {
      expect(x.verdict).to.equal('documented');
      expect(x.message).to.contain('42P05');
    }
  });

  it('has documented divergences in session-state and prepared-statements in transaction mode', () => {
    const documented = on('pgbouncer:transaction').filter((r) => r.verdict === 'documented');
    expect(new Set(documented.map((r) => r.category))).to.include.members(['session-state', 'prepared-statements']);
  });

  it('passes the session-state scenarios in session mode', () => {
    const bad = on('pgbouncer:session').filter((r) => r.category === 'session-state' && r.outcome !== 'pass' && r.outcome !== 'skip');
    expect(bad.map((r) => `${r.scenario} ${r.driver}: ${r.message}`)).to.deep.equal([]);
  });

  it('writes junit.xml, summary.md and a transcript for every result', () => {
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).to.match(/\| scenario \| direct \| pgbouncer:session \| pgbouncer:transaction \| pgbouncer:statement \| pgpool:cache \|/);
    expect(readFileSync(path.join(out, 'feature-map.md'), 'utf8')).to.match(/\| SET\/RESET \| \[Yes\]/);
    expect(readFileSync(path.join(out, 'junit.xml'), 'utf8')).to.match(/^<\?xml/);
    for (const r of results().filter((x) => x.outcome === 'pass' || x.outcome === 'diverge')) {
      expect(r.transcript, `${r.scenario} ${r.target} ${r.driver}`).to.be.a('string');
      expect(statSync(path.join(out, r.transcript!)).size).to.be.greaterThan(0);
    }
  });

  it('never writes the password into a report, transcript or server log', () => {
    const leaks = filesUnder(out).filter((f) => readFileSync(f, 'utf8').includes(PASSWORD));
    expect(leaks).to.deep.equal([]);
    expect(filesUnder(path.join(out, 'logs')).length).to.be.at.least(9);
  });
});
