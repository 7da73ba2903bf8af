import { expect } from 'chai';
import { junitXml } from '../../harness/report/junit.ts';
import { mergeShards, type MergeInput } from '../../harness/report/merge.ts';
import { resultsJson } from '../../harness/report/results-json.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';
import type { ShardManifest } from '../../harness/report/shard-manifest.ts';
import { summaryMarkdown } from '../../harness/report/summary-md.ts';
import { groupKey, shardOwns } from '../../harness/scenario/shard.ts';

const SCENARIOS = ['session-state/a', 'session-state/b', 'sequences/c', 'cancel/d', 'cancel/e'];
const TARGETS = ['direct', 'pgbouncer:transaction'];
const DRIVERS = ['raw', 'pg'];

const row = (scenario: string, target: string, driver: string): ReportRow => {
  const diverges = target !== 'direct' && scenario.startsWith('session-state');
  return {
    scenario,
    category: scenario.split('/')[0],
    target,
    driver,
    outcome: diverges ? 'diverge' : 'pass',
    verdict: diverges ? 'documented' : 'ok',
    expected: diverges ? 'diverge' : 'pass',
    durationMs: 5,
    steps: [],
    transcriptPath: `transcripts/${target}/${driver}/${scenario}.txt`,
    definedAt: `suites/${scenario}.ts:3`,
    ...(diverges
      ? {
          message: 'rows differ',
          reason: 'no session state',
          divergence: { step: 2, session: 'b', kind: 'rows' as const, expected: '0', observed: '1' },
        }
      : {}),
  };
};

const unsharded: RunReport = {
  run: { id: 'whole', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:09.000Z', durationMs: 9000, poolcheckVersion: '0.1.0' },
  targets: TARGETS.map((id) => ({
    id,
    pooler: id === 'direct' ? null : 'pgbouncer',
    mode: id === 'direct' ? null : 'transaction',
    provider: 'local',
    poolerVersion: id === 'direct' ? null : '1.18.0',
    postgresVersion: '15.4',
    startMs: 100,
    settings: {},
    effectiveSettings: {},
  })),
  warnings: ['a warning'],
  drivers: DRIVERS.map((id) => ({ id, version: '1', library: id })),
  results: SCENARIOS.flatMap((s) => TARGETS.flatMap((t) => DRIVERS.map((d) => row(s, t, d)))),
};

const groups = SCENARIOS.flatMap((scenario, i) => DRIVERS.map((driver) => ({ scenario, driver, cost: i + 1 })));

/** Shard `index` of `count` as a run --shard would have written it (its results in the order they finished). */
function shard(index: number, count: number, change: (m: ShardManifest) => ShardManifest = (m) => m): MergeInput {
  const mine = shardOwns(groups, { index, count });
  const report: RunReport = {
    ...unsharded,
    run: {
      ...unsharded.run,
      id: `s${index}`,
      startedAt: `2026-01-01T00:00:0${index}.000Z`,
      finishedAt: `2026-01-01T00:00:0${index + 3}.000Z`,
      durationMs: 3000,
      shard: { index, count },
    },
    results: unsharded.results.filter((r) => mine.has(groupKey(r.scenario, r.driver))).reverse(),
  };
  return {
    dir: `/out/shard-${index}`,
    manifest: change({ format: 1, shard: { index, count }, plan: 'p1', scenarios: SCENARIOS, report, features: [], published: {} }),
  };
}

const withoutTimings = (text: string) =>
  text
    .replace(/^Run .*$/m, '')
    .replace(/time="[\d.]+"/g, '')
    .replace(/"(id|startedAt|finishedAt|durationMs)": [^,\n]+/g, '');

describe('merging shards', () => {
  it('gives the reports of the unsharded run, results in catalogue order, apart from timings', () => {
    const { report } = mergeShards([shard(2, 3), shard(3, 3), shard(1, 3)]);
    expect(report.results).to.deep.equal(unsharded.results);
    expect(report.run).to.include({ id: 's1+s2+s3', startedAt: '2026-01-01T00:00:01.000Z', finishedAt: '2026-01-01T00:00:06.000Z' });
    expect(report.run).to.not.have.property('shard');
    expect(report.warnings).to.deep.equal(['a warning']);
    expect(withoutTimings(summaryMarkdown(report))).to.equal(withoutTimings(summaryMarkdown(unsharded)));
    expect(withoutTimings(junitXml(report))).to.equal(withoutTimings(junitXml(unsharded)));
    expect(withoutTimings(resultsJson(report))).to.equal(withoutTimings(resultsJson(unsharded)));
  });

  it('refuses an incomplete set, a shard given twice, or an interrupted shard, in one line', () => {
    expect(() => mergeShards([shard(1, 3), shard(3, 3)])).to.throw('incomplete set of shards: 2/3 missing (given: 1/3, 3/3)');
    expect(() => mergeShards([shard(1, 2), shard(1, 2), shard(2, 2)])).to.throw('shard 1/2 is given twice: /out/shard-1 and /out/shard-1');
    const interrupted = shard(2, 2, (m) => ({
      ...m,
      report: { ...m.report, run: { ...m.report.run, interrupted: { reason: 'SIGINT', planned: 9 } } },
    }));
    expect(() => mergeShards([shard(1, 2), interrupted])).to.throw('/out/shard-2 (shard 2/2) was interrupted (SIGINT): run that shard again');
  });

  it('refuses shards of different runs, splits or builds', () => {
    expect(() => mergeShards([shard(1, 2), shard(2, 2, (m) => ({ ...m, plan: 'p2' }))])).to.throw(/are shards of different runs/);
    expect(() => mergeShards([shard(1, 2), shard(2, 3)])).to.throw(/split the run differently/);
    const newer = shard(2, 2, (m) => ({
      ...m,
      report: { ...m.report, targets: m.report.targets.map((t) => (t.pooler ? { ...t, poolerVersion: '1.24.1' } : t)) },
    }));
    expect(() => mergeShards([shard(1, 2), newer])).to.throw(
      '/out/shard-2 (shard 2/2) ran pgbouncer:transaction as pgbouncer 1.24.1 on PostgreSQL 15.4, /out/shard-1 (shard 1/2) as pgbouncer 1.18.0 on PostgreSQL 15.4: shards of different builds cannot be merged',
    );
  });
});
