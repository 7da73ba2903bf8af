import { expect } from 'chai';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import type { Profile } from '../../harness/poolers/profile.ts';
import { countByVerdict, exitCode, type RunReport } from '../../harness/report/run-report.ts';
import { applyBaseline, judge } from '../../harness/report/verdict.ts';
import { attemptsDisagree, combineAttempts, runAttempts } from '../../harness/scenario/attempts.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';

const rows: Divergence = { step: 3, session: 'b', kind: 'rows', expected: '[["0"]]', observed: '[["1"]]' };
const run = (outcome: ScenarioRun['outcome'], extra: Partial<ScenarioRun> = {}): ScenarioRun => ({
  scenario: 'session-state/x',
  category: 'session-state',
  target: 'p:transaction',
  driver: 'raw',
  outcome,
  durationMs: 10,
  steps: [],
  ...extra,
});
const facts = { mode: 'transaction', version: '1.0.0', postgresVersion: '15', settings: {} };

describe('attempts and flaky results', () => {
  it('agree when they end the same way at the same step, whatever the words', () => {
    const a = combineAttempts([
      run('diverge', { divergence: rows, message: 'pid 1' }),
      run('diverge', { divergence: { ...rows, observed: 'x' }, message: 'pid 2' }),
    ]);
    expect(attemptsDisagree(a.attempts)).to.equal(false);
    expect(a.durationMs).to.equal(20);
    expect(
      attemptsDisagree(combineAttempts([run('diverge', { divergence: rows }), run('diverge', { divergence: { ...rows, step: 4 } })]).attempts),
    ).to.equal(true);
    expect(attemptsDisagree(combineAttempts([run('pass'), run('pass')]).attempts)).to.equal(false);
  });

  it('show the first attempt that did not pass when they disagree', () => {
    const c = combineAttempts([run('pass'), run('diverge', { divergence: rows, message: 'second' }), run('pass')]);
    expect(c).to.include({ outcome: 'diverge', message: 'second', durationMs: 30 });
    expect(c.attempts!.map((a) => a.outcome)).to.deep.equal(['pass', 'diverge', 'pass']);
    expect(combineAttempts([run('pass')])).to.not.have.property('attempts');
  });

  it('repeat each result, and retry one that is not acceptable until it is', async () => {
    const script = ['diverge', 'diverge', 'pass', 'diverge'] as const;
    let i = 0;
    const next = async () => run(script[i++]);
    const r = await runAttempts({ repeatEach: 1, retries: 5 }, next, (x) => x.outcome === 'pass');
    expect(r.attempts!.map((a) => a.outcome)).to.deep.equal(['diverge', 'diverge', 'pass']);
    i = 0;
    const repeated = await runAttempts({ repeatEach: 2, retries: 0 }, next, () => true);
    expect(repeated.attempts!.length).to.equal(2);
  });

  it('judge disagreeing attempts flaky, counted, failing the run only with --strict', () => {
    const profile: Profile = { pooler: 'p', checked: ['1.0.0'], modes: {} };
    const flaky = judge(combineAttempts([run('diverge', { divergence: rows }), run('pass')]), profile, facts);
    expect(flaky.verdict).to.equal('flaky');
    expect(judge(combineAttempts([run('pass'), run('pass')]), profile, facts).verdict).to.equal('ok');
    const report = { results: [{ ...flaky, transcriptPath: null }] } as unknown as RunReport;
    expect(countByVerdict(report.results).flaky).to.equal(1);
    expect(exitCode(report)).to.equal(0);
    expect(exitCode(report, true)).to.equal(1);
    const improved = { results: [{ ...flaky, verdict: 'improved', transcriptPath: null }] } as unknown as RunReport;
    expect(exitCode(improved)).to.equal(0);
    expect(exitCode(improved, true)).to.equal(1);
  });

  it('take a flaky direct result that passed once as a baseline, not as an invalid scenario', () => {
    const direct = combineAttempts([run('pass', { target: 'direct' }), run('diverge', { target: 'direct', divergence: rows })]);
    const [d, p] = applyBaseline([direct, run('diverge', { divergence: rows })]);
    expect(d.outcome).to.equal('diverge');
    expect(judge(d, undefined, facts).verdict).to.equal('flaky');
    expect(p.outcome).to.equal('diverge');
  });
});
