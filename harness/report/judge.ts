// The one place a result is held against its pooler's profile, while the run goes on (retries,
// reruns of what did not come in time) and when the reports are written: the profiles (a user's
// profile file in place of poolcheck's own) merged once with the cases' known issues, and each
// target's facts as it started (targets/target-settings.ts targetFacts).
import type { Trait } from '../kernel/traits.ts';
import { withKnownIssues, type KnowingScenario } from '../poolers/known-issue.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import { stopsThePooler, type Profile, type TargetFacts } from '../poolers/profile.ts';
import type { ScenarioRun } from '../scenario/result.ts';
import { judge as judgeAgainst, type Judged } from './verdict.ts';

/** A target as the judge needs it: which pooler, and what it runs. */
export interface JudgedTarget {
  readonly spec: { readonly pooler: string | null };
  readonly facts: TargetFacts;
}

export interface Judge {
  /** The profile a pooler's results are held against; none for direct, or for a pooler poolcheck does not know. */
  profileOf(pooler: string): Profile | undefined;
  judge(run: ScenarioRun, target: JudgedTarget): Judged;
  /** Why a scenario is not run with a driver on a target: its profile says the pooler would exit (and the lane with it). */
  notRun(scenario: string, target: JudgedTarget, driver: string): string | undefined;
}

/** A scenario as the judge needs it: its id, the known issues it brings, its traits. */
export interface JudgedScenario extends KnowingScenario {
  readonly traits: ReadonlySet<Trait>;
}

export function createJudge(userProfiles: readonly Profile[], scenarios: readonly JudgedScenario[]): Judge {
  const merged = new Map<string, Profile | undefined>();
  const traitsOf = new Map(scenarios.map((s) => [s.id, s.traits]));
  const profileOf = (pooler: string) => {
    if (!merged.has(pooler)) merged.set(pooler, withKnownIssues(findPooler(pooler, userProfiles), scenarios));
    return merged.get(pooler);
  };
  return {
    profileOf,
    judge: (run, target) =>
      judgeAgainst(run, target.spec.pooler ? profileOf(target.spec.pooler) : undefined, target.facts, traitsOf.get(run.scenario)),
    notRun(scenario, target, driver) {
      const entry = target.spec.pooler
        ? stopsThePooler(profileOf(target.spec.pooler), target.facts, scenario, driver, traitsOf.get(scenario))
        : undefined;
      return entry && `not run: the pooler would exit, and the lane with it (${entry.reason}; ${entry.link})`;
    },
  };
}
