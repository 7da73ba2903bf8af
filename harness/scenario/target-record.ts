// What a run knows of each of its targets: the spec, and once it started, the started target and
// its facts. A target that did not start (or never did) has a record too, made here only, so
// that every reader judges its results against the same facts.
import type { TargetFacts } from '../poolers/profile.ts';
import type { StartedTarget } from '../targets/started-target.ts';
import { targetFacts } from '../targets/target-settings.ts';
import type { TargetSpec } from '../targets/target-spec.ts';

export interface TargetRecord {
  readonly spec: TargetSpec;
  readonly started?: StartedTarget;
  /** The started target's facts; a target that did not start has its settings' defaults and no known releases. */
  readonly facts: TargetFacts;
  readonly startMs: number;
  readonly error?: string;
}

/** The record of a target that has not started (or never did). */
export const unstarted = (spec: TargetSpec, startMs = 0, error?: string): TargetRecord => ({
  spec,
  facts: targetFacts(spec, null, null),
  startMs,
  ...(error ? { error } : {}),
});
