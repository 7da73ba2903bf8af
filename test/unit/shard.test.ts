import { expect } from 'chai';
import { driver, driverIds } from '../../harness/drivers/registry.ts';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import { estimateCost } from '../../harness/scenario/run-cost.ts';
import { groupKey, parseShard, partition, shardOwns, type ShardGroup } from '../../harness/scenario/shard.ts';
import { parseTargets } from '../../harness/targets/target-spec.ts';

describe('shards', () => {
  let groups: ShardGroup[];
  before(async () => {
    const { scenarios } = await loadCatalog();
    const targets = parseTargets('direct,pgbouncer:session,pgbouncer:transaction,pgbouncer:statement,pgpool:cache');
    groups = driverIds
      .map((id) => driver(id))
      .flatMap((d) =>
        scenarios.map((s) => ({
          scenario: s.id,
          driver: d.id,
          cost: targets.reduce((t, spec) => t + estimateCost(s, d, spec), 0),
        })),
      );
  });

  it('read i/n, and refuse anything else in one line', () => {
    expect(parseShard('2/3')).to.deep.equal({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0', '-1/2']) expect(() => parseShard(bad), bad).to.throw(/^--shard takes i\/n/);
  });

  it('split the default matrix the same way every time, whatever order the groups come in', () => {
    const keys = (gs: ShardGroup[][]) => gs.map((s) => s.map((g) => groupKey(g.scenario, g.driver)).sort());
    expect(keys(partition([...groups].reverse(), 3))).to.deep.equal(keys(partition(groups, 3)));
  });

  it('give every (scenario, driver) group to exactly one shard', () => {
    for (const n of [1, 2, 3, 7]) {
      const owned = Array.from({ length: n }, (_, i) => [...shardOwns(groups, { index: i + 1, count: n })]).flat();
      expect(owned.length, `${n} shards`).to.equal(groups.length);
      expect(new Set(owned).size).to.equal(groups.length);
    }
  });

  it('balance the estimated cost: no shard more than 1% off the mean', () => {
    for (const n of [2, 3, 4]) {
      const loads = partition(groups, n).map((s) => s.reduce((t, g) => t + g.cost, 0));
      const mean = loads.reduce((a, b) => a + b, 0) / n;
      for (const l of loads) expect(Math.abs(l - mean) / mean, `${n} shards: ${loads.map(Math.round).join(', ')}`).to.be.below(0.01);
    }
  });

  it('cost a skip next to nothing and a login through asyncpg more than through raw', async () => {
    const { scenarios } = await loadCatalog();
    const [target] = parseTargets('pgbouncer:transaction');
    const s = scenarios.find((x) => x.id === 'session-state/set-visible-to-next-client')!;
    expect(estimateCost(s, driver('asyncpg'), target)).to.be.above(estimateCost(s, driver('raw'), target));
    const skipped = scenarios.find((x) => x.steps.some((st) => st.kind === 'messages'))!;
    expect(estimateCost(skipped, driver('pg'), target)).to.be.below(1);
  });
});
