// Scenarios for unit tests, checked and tagged as the catalogue does.
import type { Scenario, ScenarioSpec, StepSpec } from '../harness/scenario/model.ts';
import { checkScenario, problemText } from '../harness/scenario/validate.ts';

export function loaded(spec: ScenarioSpec): Scenario {
  const checked = checkScenario(spec, 'test');
  if (!checked.ok) throw new Error(`invalid test scenario ${spec.id}: ${checked.problems.map(problemText).join('; ')}`);
  return checked.scenario;
}

/** A scenario with sessions a and b around these steps. */
export const withSteps = (steps: readonly StepSpec[], extra: Partial<ScenarioSpec> = {}): Scenario =>
  loaded({
    id: 'drivers/x',
    category: 'drivers',
    why: 'w',
    pool: 'single',
    sessions: { a: {}, b: {} },
    steps,
    ...extra,
  });
