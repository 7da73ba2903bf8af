// The scenario a reproducer carries: the catalogue's scenario as written (its steps and sessions
// as data), under an id of its own so it loads beside the original, with the pooler settings
// the target ran and without `known`: where the bug is known is the user's to add once the
// issue is filed (docs/cases.md, section 7).
import type { Scenario, ScenarioSpec, StepSpec } from '../scenario/model.ts';
import type { ResultsFileTarget } from '../report/results-file.ts';

/** `session-state/set-visible-to-next-client` -> `session-state/repro-set-visible-to-next-client`. */
export function reproId(s: Pick<Scenario, 'id' | 'category'>): string {
  return `${s.category}/repro-${s.id.slice(s.id.indexOf('/') + 1)}`;
}

/** A loaded step as written: without the kind the loader tagged it with, `session` first. */
function stepSpec(st: Scenario['steps'][number]): StepSpec {
  const { kind: _kind, session, ...rest } = st;
  return { session, ...rest };
}

/** A loaded scenario as a case file writes it: the loader's additions (kinds, source, origin) left out. */
export function specOf(s: Scenario): ScenarioSpec {
  const {
    source: _source,
    origin: _origin,
    steps,
    id,
    category,
    why,
    docs,
    pool,
    singleHeld,
    needs,
    poolerSettings,
    setup,
    teardown,
    roles,
    databases,
    sessions,
    known,
  } = s;
  return {
    id,
    category,
    why,
    ...(docs ? { docs } : {}),
    pool,
    ...(singleHeld ? { singleHeld } : {}),
    ...(needs ? { needs } : {}),
    ...(poolerSettings ? { poolerSettings } : {}),
    ...(setup ? { setup } : {}),
    ...(teardown ? { teardown } : {}),
    ...(roles ? { roles } : {}),
    ...(databases ? { databases } : {}),
    sessions,
    steps: steps.map(stepSpec),
    ...(known ? { known } : {}),
  };
}

/**
 * The reproducer's scenario: `s` under `reproId`, `known` left out, and, on a pooler target,
 * every setting as the target ran it (named or the release's default) in `poolerSettings`, so
 * that a target running other values skips it and names the target to run instead.
 */
export function reproSpec(s: Scenario, target: ResultsFileTarget): ScenarioSpec {
  const { known: _known, ...spec } = specOf(s);
  const ran = { ...target.effectiveSettings, ...target.settings };
  const poolerSettings = target.pooler && Object.keys(ran).length ? { ...s.poolerSettings, [target.pooler]: ran } : s.poolerSettings;
  const { sessions, steps, ...head } = spec;
  return { ...head, id: reproId(s), ...(poolerSettings ? { poolerSettings } : {}), sessions, steps };
}
