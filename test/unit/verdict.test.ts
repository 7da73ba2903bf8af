import { expect } from 'chai';
import type { Profile } from '../../harness/poolers/profile.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { applyBaseline, judge, verdictOf } from '../../harness/report/verdict.ts';

const run = (target: string, outcome: ScenarioRun['outcome'], extra: Partial<ScenarioRun> = {}): ScenarioRun => ({
  scenario: 'session-state/x', category: 'session-state', target, driver: 'raw', outcome, durationMs: 1, steps: [], ...extra,
});

describe('verdicts', () => {
  it('hold outcomes against expectations', () => {
    expect(verdictOf('pass', 'pass')).to.equal('ok');
    expect(verdictOf('diverge', 'diverge')).to.equal('documented');
    expect(verdictOf('diverge', 'pass')).to.equal('regression');
    expect(verdictOf('pass', 'diverge')).to.equal('improved');
    expect(verdictOf('error', 'pass')).to.equal('error');
    expect(verdictOf('skip', 'diverge')).to.equal('ok');
  });

  it('take expectations from the profile by id or glob, never for direct', () => {
    const profile: Profile = { pooler: 'p', versions: '1', modes: { transaction: [{ scenarios: 'session-state/*', reason: 'r', link: 'l' }] } };
    expect(judge(run('p:transaction', 'diverge'), profile, 'transaction')).to.include({ expected: 'diverge', verdict: 'documented', reason: 'r', link: 'l' });
    expect(judge(run('p:session', 'diverge'), profile, 'session')).to.include({ expected: 'pass', verdict: 'regression' });
    expect(judge(run('direct', 'pass'), profile, 'transaction')).to.include({ expected: 'pass', verdict: 'ok' });
  });
});

describe('the baseline rule', () => {
  it('turns a scenario that fails on direct into an error everywhere, never a finding', () => {
    const out = applyBaseline([run('direct', 'diverge', { message: 'step 1 broke' }), run('p:transaction', 'diverge')]);
    expect(out[0]).to.include({ outcome: 'error' });
    expect(out[0].message).to.match(/^invalid scenario: fails on direct PostgreSQL: step 1 broke/);
    expect(out[1]).to.include({ outcome: 'error' });
    expect(out[1].message).to.match(/invalid scenario/);
  });

  it('adds what PostgreSQL did at the step where the pooler diverged', () => {
    const direct = run('direct', 'pass', { steps: [{ index: 2, session: 'a', action: 'q', observed: 'rows [["1"]]' }] });
    const out = applyBaseline([direct, run('p:transaction', 'diverge', { failedStep: 2, message: 'got rows [["2"]]' })]);
    expect(out[1].message).to.equal('got rows [["2"]]; PostgreSQL: rows [["1"]]');
  });
});
