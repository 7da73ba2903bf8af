import { applicableEntries, documentedDivergences, documents, type Profile, type TargetFacts } from '../poolers/profile.ts';
import { POSTGRESQL_ANSWER, type Divergence } from '../kernel/divergence.ts';
import type { Trait } from '../kernel/traits.ts';
import { attemptsDisagree } from '../scenario/attempts.ts';
import type { Outcome, ScenarioRun } from '../scenario/result.ts';

/**
 * ok: behaves like PostgreSQL; skip: did not run here, or ran without testing what it is about
 * (a driver lacks what it needs, its premise did not hold), with the reason; crash: PostgreSQL's
 * own backend crashed on direct (a PostgreSQL finding, set off by the scenario); documented: diverges as the profile says; changed: a
 * documented scenario diverges another way; regression: diverges where PostgreSQL behaviour was
 * expected; improved: a documented divergence no longer happens; unprofiled: diverges on a
 * pooler poolcheck has no profile for (nothing was expected either way); error: undecided;
 * flaky: attempts of one result (--repeat-each, --retries) ended in different ways.
 */
export const VERDICTS = ['ok', 'skip', 'crash', 'documented', 'changed', 'regression', 'improved', 'unprofiled', 'error', 'flaky'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * What the profile expects of a result: `either` where only a race is documented (optional
 * entries): the pooler may behave like PostgreSQL on a given run or diverge as documented, so
 * two runs may differ there (ok, documented) without either being a change (report/diff.ts).
 */
export const EXPECTATIONS = ['pass', 'diverge', 'either', 'unknown'] as const;

export interface Judged extends ScenarioRun {
  readonly expected: (typeof EXPECTATIONS)[number];
  readonly verdict: Verdict;
  /** The profile entry's reason, link and source when a divergence is expected. */
  readonly reason?: string;
  readonly link?: string;
  readonly source?: 'docs' | 'issue' | 'observed';
  /** The divergence the profile documents, when another one happened (changed). */
  readonly documented?: string;
  /** The known defect of the pooler the divergence is (a profile entry's `defect`). */
  readonly defect?: string;
}

/** Outcome held against expectation (DESIGN.md "verdict"). A skip is no finding, and no pass. */
export function verdictOf(outcome: Outcome, expected: Judged['expected'], documentedThisWay = true): Verdict {
  if (outcome === 'error') return 'error';
  if (outcome === 'skip') return 'skip';
  if (outcome === 'crash') return 'crash';
  if (expected === 'unknown') return outcome === 'pass' ? 'ok' : 'unprofiled';
  if (outcome === 'pass') return expected === 'diverge' ? 'improved' : 'ok';
  if (expected === 'pass') return 'regression';
  return documentedThisWay ? 'documented' : 'changed';
}

/**
 * PostgreSQL is the oracle: a scenario that does not pass on direct is a broken scenario, so
 * it is an error everywhere for that driver, never a finding about a pooler. A divergence is
 * shown beside what PostgreSQL did at the same step.
 */
export function applyBaseline(runs: readonly ScenarioRun[]): ScenarioRun[] {
  const direct = new Map(runs.filter((r) => r.target === 'direct').map((r) => [`${r.scenario}\u0000${r.driver}`, asBaseline(r)]));
  return runs.map((r) => {
    const base = direct.get(`${r.scenario}\u0000${r.driver}`);
    // PostgreSQL crashed by itself: a finding about PostgreSQL, and no baseline for the poolers.
    if (base?.outcome === 'crash') {
      return r.target === 'direct' || r.outcome === 'pass' || r.outcome === 'skip'
        ? r
        : {
            ...r,
            outcome: 'error',
            cause: 'postgres-crash',
            divergence: undefined,
            message: `no baseline: PostgreSQL's backend crashed on direct with this scenario and driver ${r.driver} (${base.serverLog?.[0] ?? base.message}); the pooler's result was: ${r.message}`,
          };
    }
    // Through a pooler where PostgreSQL alone did not crash: a divergence of its own kind.
    if (r.outcome === 'crash' && r.target !== 'direct') return { ...r, outcome: 'diverge' };
    // An error on direct (a driver helper that died, a lost connection) says nothing about the
    // scenario: it stays the error it was, and a pooler's pass stands; a pooler's divergence
    // cannot be told from a scenario bug without the baseline.
    if (base?.outcome === 'error' && base.cause !== 'invalid-scenario') {
      return r.target === 'direct' || r.outcome !== 'diverge'
        ? r
        : {
            ...r,
            outcome: 'error',
            cause: 'no-baseline',
            message: `no baseline: the direct (PostgreSQL) result of this scenario with driver ${r.driver} is an error (${base.message}), so the pooler's divergence cannot be told from a fault; it was: ${r.message}`,
          };
    }
    if (!base || base.outcome === 'pass' || base.outcome === 'skip') {
      if (base && r.outcome === 'diverge' && r.failedStep !== undefined) {
        const pg = base.steps.find((s) => s.index === r.failedStep)?.observed;
        if (pg) return withPostgresAnswer({ ...r, message: `${r.message}; PostgreSQL: ${pg}` }, pg);
      }
      return r;
    }
    if (r.target === 'direct') {
      return r.outcome === 'error' && r.cause === 'invalid-scenario'
        ? r
        : { ...r, outcome: 'error', cause: 'invalid-scenario', message: `invalid scenario: fails on direct PostgreSQL: ${r.message}` };
    }
    return {
      ...r,
      outcome: 'error',
      cause: 'invalid-scenario',
      message: `invalid scenario: fails on direct PostgreSQL with driver ${r.driver} (see the direct result)`,
    };
  });
}

/**
 * A divergence whose expected side the runner could not word (the pooler closed the connection or
 * did not answer: runner.ts) takes PostgreSQL's answer at that step, never the observed one.
 */
function withPostgresAnswer(r: ScenarioRun, pg: string): ScenarioRun {
  const fill = <D extends Divergence | undefined>(d: D): D =>
    d && d.expected === POSTGRESQL_ANSWER && d.step - 1 === r.failedStep ? { ...d, expected: pg } : d;
  return {
    ...r,
    divergence: fill(r.divergence),
    ...(r.attempts ? { attempts: r.attempts.map((a) => ({ ...a, divergence: fill(a.divergence) })) } : {}),
  };
}

/** A flaky result on direct that passed at least once: PostgreSQL can pass it, so it is a baseline. */
function asBaseline(r: ScenarioRun): ScenarioRun {
  return attemptsDisagree(r.attempts) && r.attempts?.some((a) => a.outcome === 'pass') ? { ...r, outcome: 'pass' } : r;
}

/** Attempts that disagree make any judgement flaky; the rest of it (expected, reason) stays. */
export function judge(run: ScenarioRun, profile: Profile | undefined, facts: TargetFacts, traits?: ReadonlySet<Trait>): Judged {
  const j = judgeOnce(run, profile, facts, traits);
  return attemptsDisagree(run.attempts) ? { ...j, verdict: 'flaky' } : j;
}

/**
 * Holds a result against its pooler's profile: the most specific entry that holds for the
 * target and documents this divergence wins; if entries hold but none documents it, the most
 * specific one is the documented behaviour that changed. No profile at all: nothing is expected.
 */
function judgeOnce(run: ScenarioRun, profile: Profile | undefined, facts: TargetFacts, traits?: ReadonlySet<Trait>): Judged {
  if (run.target === 'direct') return { ...run, expected: 'pass', verdict: verdictOf(run.outcome, 'pass') };
  if (!profile) return { ...run, expected: 'unknown', verdict: verdictOf(run.outcome, 'unknown') };
  const entries = applicableEntries(profile, facts, run.scenario, run.driver, traits);
  const step = run.failedStep !== undefined ? run.steps.find((s) => s.index === run.failedStep)?.action : undefined;
  const documenting = run.outcome === 'diverge' ? entries.find((e) => documents(e, run.divergence, step)) : undefined;
  const expecting = entries.find((e) => !e.optional);
  const entry = documenting ?? expecting;
  // Only races apply: a pass is ok, a divergence none of them documents a regression.
  const expected = expecting ? 'diverge' : entries.length > 0 ? 'either' : 'pass';
  if (!entry) return { ...run, expected, verdict: verdictOf(run.outcome, 'pass') };
  const documentedThisWay = run.outcome !== 'diverge' || documents(entry, run.divergence, step);
  return {
    ...run,
    expected,
    verdict: verdictOf(run.outcome, expected, documentedThisWay),
    reason: entry.evidence ? `${entry.reason} (${entry.evidence})` : entry.reason,
    link: entry.link,
    source: entry.source ?? 'docs',
    ...(documentedThisWay ? {} : { documented: documentedDivergences(entry) }),
    ...(entry.defect && documentedThisWay ? { defect: entry.defect } : {}),
  };
}
