// The one place a result is held against its pooler's profile, while the run goes on (retries,
// reruns of what did not come in time), when the reports are written, and by the fuzzer: the
// profiles (a user's profile file in place of poolcheck's own) merged once with the catalogue's
// known issues, each scenario's traits, and each target's facts as it started
// (targets/target-settings.ts targetFacts).
import type { Divergence } from '../kernel/divergence.ts';
import type { Trait } from '../kernel/traits.ts';
import { withKnownIssues } from '../poolers/known-issue.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import { applicableEntries, documents, stopsThePooler, type Profile, type ProfileEntry, type TargetFacts } from '../poolers/profile.ts';
import type { Scenario } from '../scenario/model.ts';
import type { ScenarioRun } from '../scenario/result.ts';
import { scenarioTraits } from '../scenario/traits.ts';
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
  /**
   * The most specific entry of the target's profile that holds for the scenario and driver and
   * documents one of the divergences; undefined where none does. How a program that is no
   * scenario of the catalogue (a fuzzed one) is told documented: by a catalogue scenario like it.
   */
  documenting(scenario: string, target: JudgedTarget, driver: string, divergences: readonly Divergence[]): ProfileEntry | undefined;
}

/** `scenarios`: the catalogue the run loaded, whose known issues join the profiles and whose traits entries may name. */
export function createJudge(userProfiles: readonly Profile[], scenarios: readonly Scenario[]): Judge {
  const merged = new Map<string, Profile | undefined>();
  const traitsOf = new Map<string, ReadonlySet<Trait>>(scenarios.map((s) => [s.id, scenarioTraits(s)]));
  const profileOf = (pooler: string) => {
    if (!merged.has(pooler)) merged.set(pooler, withKnownIssues(findPooler(pooler, userProfiles), scenarios));
    return merged.get(pooler);
  };
  const profileFor = (target: JudgedTarget) => (target.spec.pooler ? profileOf(target.spec.pooler) : undefined);
  return {
    profileOf,
    judge: (run, target) => judgeAgainst(run, profileFor(target), target.facts, traitsOf.get(run.scenario)),
    documenting: (scenario, target, driver, divergences) =>
      applicableEntries(profileFor(target), target.facts, scenario, driver, traitsOf.get(scenario)).find((e) =>
        divergences.some((d) => documents(e, d)),
      ),
    notRun(scenario, target, driver) {
      const entry = stopsThePooler(profileFor(target), target.facts, scenario, driver, traitsOf.get(scenario));
      return entry && `not run: the pooler would exit, and the lane with it (${entry.reason}; ${entry.link})`;
    },
  };
}
