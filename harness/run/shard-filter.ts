// --shard i/n: which (scenario, driver) groups of the matrix this run owns, each with its
// estimated cost on every target, split as scenario/shard.ts says.
import { estimateCost } from '../scenario/run-cost.ts';
import type { MatrixPlan } from '../scenario/matrix.ts';
import { groupKey, shardOwns, type Shard } from '../scenario/shard.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import type { RunPlan } from './run-plan.ts';

export function shardFilter(
  plan: Pick<RunPlan, 'drivers' | 'scenarios' | 'broken'>,
  targets: readonly TargetSpec[],
  shard: Shard,
): NonNullable<MatrixPlan['owns']> {
  const groups = plan.drivers.flatMap((d) => [
    ...plan.scenarios.map((s) => ({ scenario: s.id, driver: d.id, cost: targets.reduce((t, spec) => t + estimateCost(s, d, spec), 0) })),
    ...plan.broken.map((b) => ({ scenario: b.id, driver: d.id, cost: 0 })),
  ]);
  const mine = shardOwns(groups, shard);
  return (scenario, driver) => mine.has(groupKey(scenario, driver));
}

/** How many results the run would have: what an interrupted run reports as planned. */
export function plannedResults(
  plan: Pick<RunPlan, 'drivers' | 'scenarios' | 'broken'>,
  targets: readonly TargetSpec[],
  owns: MatrixPlan['owns'],
): number {
  const ids = [...plan.scenarios, ...plan.broken].map((s) => s.id);
  return targets.length * plan.drivers.reduce((n, d) => n + ids.filter((id) => owns?.(id, d.id) ?? true).length, 0);
}
