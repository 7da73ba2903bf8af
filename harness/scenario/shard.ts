// --shard i/n: which part of the matrix one of n machines runs. A shard owns whole (scenario,
// driver) groups, on every target: a pooler's result is judged against direct's for the same
// scenario and driver, so the two must run in the same shard. Groups go to shards by their
// estimated cost, largest first, each to the shard with the least so far (ties to the lower
// shard): every shard computes the same partition from the same matrix, and the shards finish
// close together.

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface ShardGroup {
  readonly scenario: string;
  readonly driver: string;
  /** Estimated cost of the group's results on every target. */
  readonly cost: number;
}

export const groupKey = (scenario: string, driver: string) => `${scenario}\u0000${driver}`;

/** `i/n`, 1 <= i <= n; a mistake throws one line naming the form. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 1000)
    throw new Error(`--shard takes i/n with 1 <= i <= n <= 1000 (e.g. --shard 2/3), not "${text}"`);
  return { index, count };
}

/** The groups of each shard, shard 1 first. */
export function partition(groups: readonly ShardGroup[], count: number): ShardGroup[][] {
  const order = [...groups].sort((a, b) => b.cost - a.cost || (groupKey(a.scenario, a.driver) < groupKey(b.scenario, b.driver) ? -1 : 1));
  const shards = Array.from({ length: count }, () => ({ load: 0, groups: [] as ShardGroup[] }));
  for (const g of order) {
    let least = shards[0];
    for (const s of shards) if (s.load < least.load) least = s;
    least.groups.push(g);
    least.load += g.cost;
  }
  return shards.map((s) => s.groups);
}

/** The keys (groupKey) of the groups `shard` runs. */
export function shardOwns(groups: readonly ShardGroup[], shard: Shard): ReadonlySet<string> {
  return new Set(partition(groups, shard.count)[shard.index - 1].map((g) => groupKey(g.scenario, g.driver)));
}
