import { expect } from 'chai';
import type { Judge } from '../../harness/report/judge.ts';
import type { Verdict } from '../../harness/report/verdict.ts';
import { FailureBudget } from '../../harness/run/failure-budget.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';

/** A judge that reads the verdict off the result's message, as the test writes it. */
const judge = { judge: (r: ScenarioRun) => ({ verdict: r.message as Verdict }) } as unknown as Judge;
const result = (verdict: Verdict) => ({ message: verdict }) as unknown as ScenarioRun;
const target = { spec: { pooler: null }, facts: { mode: null, version: null, postgresVersion: null, settings: {} } };

describe('--max-failures', () => {
  it('is spent after N results that fail the run, counting improved and flaky only with --strict', () => {
    const budget = new FailureBudget(2, judge, false);
    for (const v of ['ok', 'documented', 'improved', 'flaky', 'skip'] as const) budget.count(result(v), target);
    expect(budget.spent).to.equal(false);
    budget.count(result('regression'), target);
    budget.count(result('error'), target);
    expect(budget.spent).to.equal(true);
    expect(budget.reason).to.equal('--max-failures 2: 2 results failed');
    const strict = new FailureBudget(1, judge, true);
    strict.count(result('flaky'), target);
    expect(strict.spent).to.equal(true);
  });

  it('is never spent when not given', () => {
    const budget = new FailureBudget(undefined, judge, false);
    for (let i = 0; i < 100; i++) budget.count(result('regression'), target);
    expect(budget.spent).to.equal(false);
  });
});
