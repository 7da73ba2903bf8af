import { expect } from 'chai';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { createJudge } from '../../harness/report/judge.ts';
import { isFinding } from '../../harness/run/attempt-policy.ts';
import type { StartedTarget } from '../../harness/targets/started-target.ts';
import { afterJudgedRunAgain, afterRunAgain, loginUnansweredTwice, timingDependent } from '../../harness/scenario/timing-rule.ts';

const run = (outcome: ScenarioRun['outcome'], extra: Partial<ScenarioRun> = {}): ScenarioRun => ({
  scenario: 's/x',
  category: 's',
  target: 'pgbouncer:transaction',
  driver: 'raw',
  outcome,
  durationMs: 10,
  steps: [],
  transcript: 'a -- step 1\n',
  ...extra,
});
const d = (kind: Divergence['kind'], sqlstate?: string): Divergence => ({
  step: 2,
  session: 'a',
  kind,
  expected: 'e',
  observed: 'o',
  ...(sqlstate ? { sqlstate } : {}),
});

describe('the one timing rule', () => {
  it('runs again what timing may explain: no answer, 57014 where none was expected, a stall, a driver that gave up', () => {
    expect(timingDependent(run('diverge', { divergence: d('no-answer') }), true)).to.equal(true);
    expect(timingDependent(run('diverge', { divergence: d('sqlstate', '57014') }), true)).to.equal(true);
    expect(timingDependent(run('error', { cause: 'infrastructure' }), true)).to.equal(true);
    expect(timingDependent(run('error', { cause: 'stall' }), true)).to.equal(true);
    expect(timingDependent(run('error', { cause: 'driver' }), true)).to.equal(true);
  });

  it('runs again a reply that did not come in time on direct, where the divergence would make the scenario invalid', () => {
    const onDirect = run('diverge', { target: 'direct', divergence: d('no-answer') });
    // Only the spec's pooler and the facts are read (a JudgedTarget); the matrix passes a started target.
    const direct = { spec: { pooler: null }, facts: { version: null, mode: null, postgresVersion: null, settings: {} } } as unknown as StartedTarget;
    expect(timingDependent(onDirect, isFinding(createJudge([], []))(onDirect, direct))).to.equal(true);
  });

  it('does not run again a documented divergence, a divergence of rows, an invalid scenario or a crash', () => {
    expect(timingDependent(run('diverge', { divergence: d('no-answer') }), false)).to.equal(false);
    expect(timingDependent(run('diverge', { divergence: d('rows') }), true)).to.equal(false);
    expect(timingDependent(run('error', { cause: 'invalid-scenario' }), true)).to.equal(false);
    expect(timingDependent(run('crash', { divergence: d('crash') }), true)).to.equal(false);
  });

  it('keeps the first result when the run again fails the same way: a pooler that hangs hangs again', () => {
    const first = run('diverge', { divergence: d('no-answer'), message: 'timed out' });
    const hung = afterRunAgain(first, run('diverge', { divergence: d('no-answer') }));
    expect({ ...hung, transcript: first.transcript }).to.deep.equal(first);
    expect(hung.transcript).to.match(/^-- run again at once, it failed the same way \(no-answer at step \d+\); the first run stands\n/);
    const crashed = run('error', { cause: 'infrastructure', message: 'helper exited (SIGSEGV)' });
    const again = afterRunAgain(crashed, run('error', { cause: 'infrastructure', message: 'quiesce failed' }));
    expect(again).to.include({ message: 'helper exited (SIGSEGV)' });
    expect(again.transcript).to.match(/^-- run again at once, it was an error too: quiesce failed; the first run stands\n/);
  });

  it('takes the run again when it does not repeat the failure, saying so in its transcript: a stall is never an error while the scenario passes', () => {
    const r = afterRunAgain(run('error', { cause: 'driver', message: 'helper did not answer in time' }), run('pass'));
    expect(r.outcome).to.equal('pass');
    expect(r.durationMs).to.equal(20);
    expect(r.transcript).to.match(/^-- run again at once: the first run was an error \(helper did not answer in time\)/);
  });

  describe('a login unanswered while a fresh one got in (a stall, an error)', () => {
    const atLogin = (step: number): ScenarioRun =>
      run('diverge', { divergence: { ...d('no-answer'), step, atLogin: true }, message: `step ${step}: timed out waiting for a: connect` });
    const stall = (step: number) => ({
      run: run('error', { cause: 'stall', message: 'a login got no answer ... stalled' }),
      unansweredLogin: atLogin(step),
    });

    it('unanswered again at the same step is the pooler not answering that login: the divergence stands, saying why', () => {
      const r = loginUnansweredTwice(stall(1), stall(1));
      expect(r?.outcome).to.equal('diverge');
      expect(r?.divergence).to.include({ kind: 'no-answer', step: 1, atLogin: true });
      expect(r?.transcript).to.match(/^-- run again at once: a login got no answer .* again at step 1/);
    });

    it('stays a stall when the run again passes, fails elsewhere or at another step', () => {
      expect(loginUnansweredTwice(stall(1), { run: run('pass') })).to.equal(undefined);
      expect(loginUnansweredTwice(stall(1), stall(2))).to.equal(undefined);
      expect(loginUnansweredTwice({ run: run('error', { cause: 'driver' }) }, stall(1))).to.equal(undefined);
    });

    it('stands as a stall, by its cause, when the run again stalls at another step or errs otherwise', () => {
      expect(afterJudgedRunAgain(stall(1), stall(2))).to.include({ outcome: 'error', cause: 'stall' });
      expect(afterJudgedRunAgain(stall(1), { run: run('error', { cause: 'infrastructure' }) })).to.include({ outcome: 'error', cause: 'stall' });
      expect(afterJudgedRunAgain(stall(1), stall(1))).to.include({ outcome: 'diverge' });
      expect(afterJudgedRunAgain(stall(1), { run: run('pass') })).to.include({ outcome: 'pass' });
    });
  });
});
