// pgpool-II as a live target: the real pgpool (Debian's pgpool2) in front of a real PostgreSQL,
// through the CLI a user runs. It must agree with PostgreSQL on direct, show no regression
// against pgpool's profile, really detect the divergences the profile documents, and leave no
// pgpool process behind, even when poolcheck itself is killed.
import { expect } from 'chai';
import { defaultValue } from '../../harness/cli/options.ts';
import { lanesToStart } from '../../harness/run/provider-choice.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { withKnownIssues } from '../../harness/poolers/known-issue.ts';
import { findPooler } from '../../harness/poolers/known-poolers.ts';
import { applicableEntries } from '../../harness/poolers/profile.ts';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import { eventually, processesMentioning, runDir, startCli } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

interface Result {
  scenario: string;
  category: string;
  target: string;
  driver: string;
  outcome: string;
  verdict: string;
  message: string | null;
  reason?: string | null;
  transcript: string | null;
  premise?: 'held' | 'failed';
}

const PASSWORD = `pc-secret-${process.pid}-pgpool`;
const tmpOut = (tag: string) => tempDir(`pc-pgpool-${tag}-`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** A live process's state and process group, or undefined once it has exited. */
function stateAndGroup(pid: number): { state: string; pgrp: number } | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at state; pgrp is the third.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

/** Live processes in the process groups led by `leaders` (a pooler and everything it forked). */
function groupMembers(leaders: readonly number[]): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const s = stateAndGroup(pid);
      return s !== undefined && s.state !== 'Z' && leaders.includes(s.pgrp);
    });
}

describe('pgpool-II target (pgpool:cache) with raw, pg and postgres.js', function () {
  const out = tmpOut('run');
  let code: number | null;
  let stdout = '';
  let doc: {
    targets: Array<{ id: string; poolerVersion: string | null; postgresVersion: string | null }>;
    results: Result[];
    summary: { byVerdict: Record<string, number>; premise: Record<string, { held: number; failed: number }> };
  };
  const on = (target: string) => doc.results.filter((r) => r.target === target);
  const pick = (scenario: string, driver: string) => on('pgpool:cache').find((r) => r.scenario === scenario && r.driver === driver)!;

  before(async function () {
    this.timeout(600_000);
    const run = startCli(['run', '--targets', 'pgpool', '--drivers', 'raw,pg,postgres.js', '--out', out], { POOLCHECK_PASSWORD: PASSWORD });
    code = await run.exited;
    stdout = run.stdout;
    if (code !== 0) process.stderr.write(`poolcheck stdout:\n${run.stdout}\nstderr (tail):\n${run.stderr.slice(-3000)}\n`);
    doc = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
  });

  it('exits 0 with no error and no regression', () => {
    expect(doc.summary.byVerdict.error ?? 0, 'errors').to.equal(0);
    expect(doc.summary.byVerdict.regression ?? 0, 'regressions').to.equal(0);
    expect(code).to.equal(0);
    expect(stdout).to.match(/0 changed, 0 regression, \d+ improved, 0 unprofiled, 0 error/);
  });

  it('runs direct and pgpool:cache and records the pgpool version', () => {
    expect(doc.targets.map((t) => t.id)).to.deep.equal(['direct', 'pgpool:cache']);
    expect(doc.targets[1].poolerVersion).to.match(/^\d+\.\d+/);
  });

  it('passes every scenario on direct PostgreSQL (skips only for a missing driver capability)', () => {
    const bad = on('direct').filter((r) => r.outcome !== 'pass' && !(r.outcome === 'skip' && /lacks/.test(r.message ?? '')));
    expect(bad.map((r) => `${r.scenario} ${r.driver}: ${r.outcome} ${r.message}`)).to.deep.equal([]);
  });

  it('keeps session state apart like PostgreSQL: no session-state scenario diverges', () => {
    const diverged = on('pgpool:cache').filter(
      (r) => r.category === 'session-state' && r.outcome === 'diverge' && !r.scenario.includes('discard-all'),
    );
    expect(diverged.map((r) => `${r.scenario} ${r.driver}: ${r.message}`)).to.deep.equal([]);
  });

  it('hands the next client of the single pool the backend the last one left, and says so per result', () => {
    const withPremise = on('pgpool:cache').filter((r) => r.premise);
    const held = withPremise.filter((r) => r.premise === 'held').length;
    expect(withPremise.length, "results whose client was to land on an earlier client's backend").to.be.at.least(30);
    expect(held / withPremise.length, `${held} of ${withPremise.length} held`).to.be.at.least(0.9);
    expect(doc.summary.premise['pgpool:cache']).to.deep.equal({ held, failed: withPremise.length - held });
    // A result whose premise failed tested nothing: never ok.
    expect(on('pgpool:cache').filter((r) => r.premise === 'failed' && r.verdict === 'ok')).to.deep.equal([]);
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).to.match(/\| pgpool:cache \|.*\| \d+ of \d+ \(\d+%\) \|/);
  });

  it('detects what a reused backend keeps: role settings from before ALTER ROLE (documented)', () => {
    const r = pick('parameter-status/alter-role-set-reaches-connection-opened-later', 'raw');
    expect([r.outcome, r.verdict, r.premise]).to.deep.equal(['diverge', 'documented', 'held']);
  });

  it('detects that pgpool closes the connection on a Bind of an unknown statement (documented)', () => {
    const r = pick('prepared-statements/named-statement-invisible-to-other-client', 'raw');
    expect([r.outcome, r.verdict]).to.deep.equal(['diverge', 'documented']);
    expect(r.message)
      .to.match(/closed the connection/)
      .and.to.contain('26000');
  });

  it('detects the write pgpool leaves uncommitted after a Sync (documented)', () => {
    const r = pick('transactions/sync-commits-pipeline-segment', 'raw');
    expect([r.outcome, r.verdict]).to.deep.equal(['diverge', 'documented']);
    expect(r.message).to.contain('expected rows [["1"]], got rows [["0"]]');
  });

  it('detects the 25P02 pgpool makes up after a failed PREPARE TRANSACTION (documented)', () => {
    for (const driver of ['raw', 'pg']) {
      const r = pick('transactions/prepared-transaction-gid-in-use', driver);
      expect([r.outcome, r.verdict], driver).to.deep.equal(['diverge', 'documented']);
      expect(r.message).to.contain('25P02');
    }
  });

  it('cites a pgpool documentation page or pgpool issue for every documented divergence', async () => {
    const documented = on('pgpool:cache').filter((r) => r.verdict === 'documented');
    expect(documented.length).to.be.at.least(5);
    // The profile as the run judged with it: the shipped cases' known issues join it.
    const profile = withKnownIssues(findPooler('pgpool'), (await loadCatalog()).scenarios);
    for (const r of documented) {
      // The entry that matched: a scenario may be named by more than one (each for its own divergence).
      const entries = applicableEntries(
        profile,
        { mode: 'cache', version: doc.targets[1].poolerVersion, postgresVersion: doc.targets[1].postgresVersion, settings: {} },
        r.scenario,
        r.driver,
      );
      const entry = entries.find((e) => e.reason === r.reason) ?? entries[0];
      expect(entry, `${r.scenario} ${r.driver}`).to.not.equal(undefined);
      const source: 'docs' | 'issue' | 'observed' = entry.source ?? 'docs';
      // docs: pgpool's manual (a release's or the latest); issue: its tracker or the commit that
      // fixed it; observed: the PostgreSQL behaviour pgpool misses, or the pgpool page it defeats.
      const where = {
        docs: /^https:\/\/www\.pgpool\.net\/docs\/(\d+|latest)\/en\/html\//,
        issue: /^https:\/\/github\.com\/pgpool\/pgpool2\/(issues\/\d+|commit\/[0-9a-f]{40})$/,
        observed: /^https:\/\/www\.(postgresql\.org|pgpool\.net)\/docs\//,
      }[source];
      expect(entry.link, `${r.scenario}: a ${source} source`).to.match(where);
      expect(r.reason).to.equal(entry.reason);
    }
  });

  it('writes a transcript for every result it ran and a log for each pgpool process (two per lane)', () => {
    for (const r of on('pgpool:cache').filter((x) => x.outcome !== 'skip')) {
      expect(r.transcript, `${r.scenario} ${r.driver}`).to.be.a('string');
      expect(statSync(path.join(out, r.transcript!)).size).to.be.greaterThan(0);
    }
    const logs = readdirSync(path.join(out, 'logs'));
    // With direct beside it, the target starts spare lanes (provider-choice.ts).
    expect(logs.filter((f) => /\.pgpool-lane\d+-(single|wide)\.log$/.test(f)).length).to.equal(2 * lanesToStart(defaultValue('lanes'), 2));
  });

  it('never writes the password into a report, transcript or server log', () => {
    const leaks = filesUnder(out).filter((f) => readFileSync(f, 'utf8').includes(PASSWORD));
    expect(leaks).to.deep.equal([]);
  });
});

describe('pgpool-II lifecycle and binary', function () {
  it('stops pgpool and all of its children when a killed run is cleaned up by the next one', async function () {
    this.timeout(120_000);
    const killed = startCli(['run', '--targets', 'pgpool', '--drivers', 'raw', '--out', tmpOut('killed')]);
    const [, runId] = await killed.waitFor(/run ([0-9a-f]{6}):/, 30_000);
    await killed.waitFor(/started pgpool:cache/, 60_000);
    // A child pgpool has just forked still shows its parent's command line: a leader is the one
    // that leads its process group (each pgpool is started in a group of its own).
    const leaders = processesMentioning(runDir(runId)).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('pgpool.conf') && stateAndGroup(pid)?.pgrp === pid;
      } catch {
        return false;
      }
    });
    expect(leaders.length, 'one pgpool per lane and pool').to.equal(2 * lanesToStart(defaultValue('lanes'), 2));
    killed.child.kill('SIGKILL');
    await killed.exited;
    const orphans = groupMembers(leaders);
    expect(orphans.length, 'pgpool processes orphaned by SIGKILL').to.be.greaterThan(leaders.length);

    const next = startCli([
      'run',
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
    expect(next.stderr).to.match(/stopped \d+ server process\(es\) left by an earlier run that was killed/);
    await eventually('no pgpool process of the killed run (children included)', 10_000, () => groupMembers(leaders).length === 0);
  });

  it('names the fix for a pgpool binary that is not there, exit 2', async () => {
    const run = startCli(['run', '--targets', 'pgpool', '--pgpool-bin', '/nonexistent/pgpool', '--out', tmpOut('bin')]);
    expect(await run.exited).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.deep.equal(['poolcheck: /nonexistent/pgpool (given with --pgpool-bin PATH) is not an executable file']);
  });
});
