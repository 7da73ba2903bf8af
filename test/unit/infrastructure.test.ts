import { expect } from 'chai';
import { stalledUnlessRepeated } from '../../harness/scenario/infrastructure.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';

const run = (outcome: ScenarioRun['outcome'], message?: string): ScenarioRun => ({
  scenario: 'a/b', category: 'a', target: 'pgbouncer:transaction', driver: 'raw', outcome, durationMs: 5000, steps: [], ...(message ? { message } : {}),
  ...(outcome === 'diverge' ? { divergence: { step: 1, session: 'a', kind: 'no-answer' as const, expected: 'x', observed: 'timed out' } } : {}),
});

describe('a divergence of no answer', () => {
  it('is a stall, not a finding, when the scenario passes run again at once', () => {
    const r = stalledUnlessRepeated(run('diverge', 'step 1: timed out'), run('pass'), false);
    expect([r.outcome, r.divergence]).to.deep.equal(['error', undefined]);
    expect(r.message).to.match(/^it did not come in time at first, and the scenario passed when run again at once: .* \(first attempt: step 1: timed out\)$/);
    expect(r.durationMs).to.equal(10_000);
  });

  it('stands when it happens again', () => {
    const first = run('diverge', 'step 1: timed out');
    expect(stalledUnlessRepeated(first, run('diverge', 'again'), true)).to.equal(first);
  });

  it('is a stall too when the scenario, run again at once, diverges as the profile documents', () => {
    const r = stalledUnlessRepeated(run('diverge', 'step 1: timed out'), run('diverge', 'the documented divergence'), false);
    expect(r.outcome).to.equal('error');
    expect(r.message).to.match(/^it did not come in time at first, and the scenario did what the profile documents when run again at once: /);
  });
});
