import { expectedDivergence, type Profile } from '../poolers/profile.ts';
import type { Trait } from '../kernel/traits.ts';
import type { Outcome, ScenarioRun } from '../scenario/result.ts';

export const VERDICTS = ['ok', 'documented', 'regression', 'improved', 'error'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Judged extends ScenarioRun {
  readonly expected: 'pass' | 'diverge';
  readonly verdict: Verdict;
  /** The profile's reason and source when a divergence is expected. */
  readonly reason?: string;
  readonly link?: string;
  readonly source?: 'docs' | 'issue' | 'observed';
}

/** Outcome held against expectation (DESIGN.md "verdict"). A skip is no finding: ok. */
export function verdictOf(outcome: Outcome, expected: 'pass' | 'diverge'): Verdict {
  if (outcome === 'error') return 'error';
  if (outcome === 'skip') return 'ok';
  if (outcome === 'pass') return expected === 'pass' ? 'ok' : 'improved';
  return expected === 'diverge' ? 'documented' : 'regression';
}

/**
 * PostgreSQL is the oracle: a scenario that does not pass on direct is a broken scenario, so
 * it is an error everywhere for that driver, never a finding about a pooler. A divergence is
 * shown beside what PostgreSQL did at the same step.
 */
export function applyBaseline(runs: readonly ScenarioRun[]): ScenarioRun[] {
  const direct = new Map(runs.filter((r) => r.target === 'direct').map((r) => [`${r.scenario}\u0000${r.driver}`, r]));
  return runs.map((r) => {
    const base = direct.get(`${r.scenario}\u0000${r.driver}`);
    if (!base || base.outcome === 'pass' || base.outcome === 'skip') {
      if (base && r.outcome === 'diverge' && r.failedStep !== undefined) {
        const pg = base.steps.find((s) => s.index === r.failedStep)?.observed;
        if (pg) return { ...r, message: `${r.message}; PostgreSQL: ${pg}` };
      }
      return r;
    }
    if (r.target === 'direct') {
      return r.outcome === 'error' && r.message?.startsWith('invalid scenario') ? r : { ...r, outcome: 'error', message: `invalid scenario: fails on direct PostgreSQL: ${r.message}` };
    }
    return { ...r, outcome: 'error', message: `invalid scenario: fails on direct PostgreSQL with driver ${r.driver} (see the direct result)` };
  });
}

export function judge(run: ScenarioRun, profile: Profile | undefined, mode: string | null, traits?: ReadonlySet<Trait>): Judged {
  const entry = run.target === 'direct' ? undefined : expectedDivergence(profile, mode, run.scenario, run.driver, traits);
  const expected = entry ? 'diverge' : 'pass';
  return { ...run, expected, verdict: verdictOf(run.outcome, expected), reason: entry?.reason, link: entry?.link, source: entry ? entry.source ?? 'docs' : undefined };
}
