import { expect } from 'chai';
import type { Profile, TargetFacts } from '../../harness/poolers/profile.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import { profileWarnings } from '../../harness/report/assemble.ts';
import type { StartedTarget } from '../../harness/targets/started-target.ts';
import { applyBaseline, judge, verdictOf } from '../../harness/report/verdict.ts';

const run = (target: string, outcome: ScenarioRun['outcome'], extra: Partial<ScenarioRun> = {}): ScenarioRun => ({
  scenario: 'session-state/x',
  category: 'session-state',
  target,
  driver: 'raw',
  outcome,
  durationMs: 1,
  steps: [],
  ...extra,
});

const facts = (
  mode: string,
  version: string | null = '1.0.0',
  settings: Record<string, string> = {},
  postgresVersion: string | null = '15.4',
): TargetFacts => ({ mode, version, postgresVersion, settings });

describe('verdicts', () => {
  it('hold outcomes against expectations', () => {
    expect(verdictOf('pass', 'pass')).to.equal('ok');
    expect(verdictOf('diverge', 'diverge')).to.equal('documented');
    expect(verdictOf('diverge', 'pass')).to.equal('regression');
    expect(verdictOf('pass', 'diverge')).to.equal('improved');
    expect(verdictOf('error', 'pass')).to.equal('error');
    expect(verdictOf('skip', 'diverge')).to.equal('skip');
  });

  it('take expectations from the profile by id or glob, never for direct', () => {
    const profile: Profile = { pooler: 'p', checked: ['1.0.0'], modes: { transaction: [{ scenarios: 'session-state/*', reason: 'r', link: 'l' }] } };
    expect(judge(run('p:transaction', 'diverge'), profile, facts('transaction'))).to.include({
      expected: 'diverge',
      verdict: 'documented',
      reason: 'r',
      link: 'l',
    });
    expect(judge(run('p:session', 'diverge'), profile, facts('session'))).to.include({ expected: 'pass', verdict: 'regression' });
    expect(judge(run('direct', 'pass'), profile, facts('transaction'))).to.include({ expected: 'pass', verdict: 'ok' });
  });

  it('expect either behaviour where only a race is documented (optional entries), and the same whichever way it went', () => {
    const race = { scenarios: 'session-state/*', reason: 'r', link: 'l', optional: true as const, divergence: { kind: 'rows' as const } };
    const profile: Profile = { pooler: 'p', checked: ['1.0.0'], modes: { transaction: [race], session: [race, { ...race, optional: undefined }] } };
    const rows = { divergence: { step: 2, session: 'b', kind: 'rows' as const, expected: '1', observed: '0' } };
    const error = { divergence: { step: 2, session: 'b', kind: 'error' as const, sqlstate: '08P01', expected: '1', observed: 'E' } };
    expect(judge(run('p:transaction', 'pass'), profile, facts('transaction'))).to.include({ expected: 'either', verdict: 'ok' });
    expect(judge(run('p:transaction', 'diverge', rows), profile, facts('transaction'))).to.include({ expected: 'either', verdict: 'documented' });
    expect(judge(run('p:transaction', 'diverge', error), profile, facts('transaction'))).to.include({ expected: 'either', verdict: 'regression' });
    // An entry that is not optional beside it: the divergence is expected, a pass is news.
    expect(judge(run('p:session', 'pass'), profile, facts('session'))).to.include({ expected: 'diverge', verdict: 'improved' });
  });
});

describe('profiles that know releases, settings and divergences', () => {
  const diverged = (kind: Divergence['kind'], sqlstate?: string): Partial<ScenarioRun> => ({
    divergence: {
      step: 2,
      session: 'b',
      kind,
      expected: 'expected messages ErrorResponse:26000, ReadyForQuery',
      observed: 'x',
      ...(sqlstate ? { sqlstate } : {}),
    },
  });
  const profile: Profile = {
    pooler: 'p',
    checked: ['1.18.0', '1.24.1'],
    modes: {
      transaction: [
        {
          scenarios: 'prepared-statements/*',
          reason: 'statements live on the server',
          link: 'l1',
          settings: { max_prepared_statements: '0' },
          divergence: { kind: 'messages' },
        },
        {
          scenarios: 'prepared-statements/x',
          reason: 'tracking closes the client',
          link: 'l2',
          versions: '>=1.21',
          settings: { max_prepared_statements: { not: '0' } },
          divergence: { kind: 'closed', sqlstate: '08P01' },
        },
        { scenarios: 'session-state/*', reason: 'old IntervalStyle', link: 'l3', versions: '<1.20' },
      ],
    },
  };
  const ps = (outcome: ScenarioRun['outcome'], extra: Partial<ScenarioRun> = {}) =>
    run('p:transaction', outcome, { scenario: 'prepared-statements/x', ...extra });

  it('apply an entry only inside its release range', () => {
    expect(judge(run('p:transaction', 'diverge'), profile, facts('transaction', '1.18.0'))).to.include({
      verdict: 'documented',
      reason: 'old IntervalStyle',
    });
    expect(judge(run('p:transaction', 'diverge'), profile, facts('transaction', '1.24.1'))).to.include({ verdict: 'regression', expected: 'pass' });
    expect(judge(run('p:transaction', 'pass'), profile, facts('transaction', '1.24.1'))).to.include({ verdict: 'ok' });
  });

  it('count an entry for some releases as possible, not expected, when the release is unknown', () => {
    expect(judge(run('p:transaction', 'diverge'), profile, facts('transaction', null))).to.include({
      verdict: 'documented',
      reason: 'old IntervalStyle',
    });
    expect(judge(run('p:transaction', 'pass'), profile, facts('transaction', null))).to.include({ verdict: 'ok' });
  });

  it('apply an entry only for the settings the release runs with', () => {
    expect(judge(ps('diverge', diverged('messages')), profile, facts('transaction', '1.18.0', { max_prepared_statements: '0' }))).to.include({
      verdict: 'documented',
      link: 'l1',
    });
    expect(judge(ps('diverge', diverged('closed', '08P01')), profile, facts('transaction', '1.24.1', { max_prepared_statements: '200' }))).to.include(
      { verdict: 'documented', link: 'l2' },
    );
    expect(judge(ps('pass'), profile, facts('transaction', '1.24.1', { max_prepared_statements: '200' }))).to.include({
      verdict: 'improved',
      link: 'l2',
    });
  });

  it('call a documented scenario that diverges another way changed, naming both', () => {
    const j = judge(ps('diverge', diverged('closed', '08P01')), profile, facts('transaction', '1.18.0', { max_prepared_statements: '0' }));
    expect(j).to.include({ verdict: 'changed', documented: 'messages', link: 'l1' });
    expect(judge(ps('diverge', diverged('closed', '57P01')), profile, facts('transaction', '1.24.1', { max_prepared_statements: '200' }))).to.include(
      { verdict: 'changed', documented: 'closed 08P01' },
    );
  });

  it('let the most specific entry that documents the divergence win, not the first', () => {
    const both: Profile = {
      ...profile,
      modes: {
        transaction: [
          { scenarios: 'prepared-statements/*', reason: 'general', link: 'g', divergence: { kind: 'closed' } },
          { scenarios: 'prepared-statements/x', drivers: ['raw'], reason: 'specific', link: 's', divergence: { kind: 'closed' } },
        ],
      },
    };
    expect(judge(ps('diverge', diverged('closed')), both, facts('transaction'))).to.include({ reason: 'specific' });
    expect(judge({ ...ps('diverge', diverged('closed')), driver: 'pg' }, both, facts('transaction'))).to.include({ reason: 'general' });
  });

  it('expect nothing of the drivers an entry excepts, which an optional entry of their own may document', () => {
    const split: Profile = {
      ...profile,
      modes: {
        transaction: [
          { scenarios: 'prepared-statements/x', exceptDrivers: ['pg'], reason: 'the rest', link: 'g', divergence: { kind: 'no-error' } },
          { scenarios: 'prepared-statements/x', drivers: ['pg'], optional: true, reason: 'pg', link: 'p', divergence: { kind: 'no-answer' } },
        ],
      },
    };
    expect(judge(ps('pass'), split, facts('transaction'))).to.include({ verdict: 'improved', expected: 'diverge' });
    expect(judge({ ...ps('pass'), driver: 'pg' }, split, facts('transaction'))).to.include({ verdict: 'ok', expected: 'either' });
    expect(judge({ ...ps('diverge', diverged('no-answer')), driver: 'pg' }, split, facts('transaction'))).to.include({
      verdict: 'documented',
      reason: 'pg',
    });
  });

  it('document a named defect wherever it shows, by its signature, and expect nothing of it elsewhere', () => {
    const defect: Profile = {
      pooler: 'p',
      checked: ['1.0.0'],
      modes: {
        transaction: [
          {
            scenarios: '**',
            defect: 'a skipped Query is awaited forever',
            reason: 'hangs',
            link: 'l',
            divergence: { kind: 'no-answer', step: '\\bQuery\\b.*\\bSync\\b' },
          },
        ],
      },
    };
    const hung = (action: string) =>
      run('p:transaction', 'diverge', {
        scenario: 'protocol-framing/new-one',
        failedStep: 0,
        steps: [{ index: 0, session: 'a', action }],
        divergence: { step: 1, session: 'a', kind: 'no-answer', expected: 'e', observed: 'timed out' },
      });
    expect(judge(hung('Parse, Bind, Execute, Query, Sync'), defect, facts('transaction'))).to.include({
      verdict: 'documented',
      defect: 'a skipped Query is awaited forever',
      reason: 'hangs',
    });
    expect(judge(hung('SELECT pg_sleep(1)'), defect, facts('transaction'))).to.include({ verdict: 'regression' });
    expect(judge(run('p:transaction', 'pass'), defect, facts('transaction'))).to.include({ verdict: 'ok' });
  });

  it('expect nothing of a pooler without a profile: a divergence is an unprofiled finding, not a regression', () => {
    expect(judge(run('mine:transaction', 'diverge'), undefined, facts('transaction'))).to.include({ verdict: 'unprofiled', expected: 'unknown' });
    expect(judge(run('mine:transaction', 'pass'), undefined, facts('transaction'))).to.include({ verdict: 'ok' });
  });

  it('warn, once per pooler release, when the release is not one the profile was checked against', () => {
    const record = (version: string, mode = 'transaction') => ({
      spec: { id: `p:${mode}`, pooler: 'p', mode, settings: {} },
      facts: facts(mode),
      startMs: 1,
      started: { poolerVersion: version } as StartedTarget,
    });
    const w = profileWarnings({ profileOf: () => profile }, [record('1.25.0'), record('1.25.0', 'session'), record('1.24.1')]);
    expect(w).to.deep.equal(['p 1.25.0 is not a release its profile was checked against (1.18.0, 1.24.1): verdicts may be stale']);
    const failed = {
      spec: { id: 'p:statement', pooler: 'p', mode: 'statement', settings: {} },
      facts: facts('statement'),
      startMs: 1,
      error: 'target p:statement did not start: ...',
    };
    expect(profileWarnings({ profileOf: () => profile }, [failed]), 'a target that did not start').to.deep.equal([]);
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

  it('keeps an error on direct as the error it was (no "invalid scenario"): a pooler\'s pass stands, its divergence has no baseline', () => {
    const direct = run('direct', 'error', { message: 'psycopg helper exited (SIGKILL)' });
    const out = applyBaseline([direct, run('p:transaction', 'pass'), run('p:session', 'diverge', { message: 'got rows [["2"]]' })]);
    expect(out[0]).to.include({ outcome: 'error', message: 'psycopg helper exited (SIGKILL)' });
    expect(out[1]).to.include({ outcome: 'pass' });
    expect(out[2]).to.include({ outcome: 'error', cause: 'no-baseline' });
    expect(out[2].message).to.match(/^no baseline: .*psycopg helper exited.*got rows/);
  });

  it('gives a pooler no baseline where PostgreSQL stalled on direct: the stall is no invalid scenario', () => {
    const out = applyBaseline([run('direct', 'error', { cause: 'stall' }), run('p:transaction', 'diverge')]);
    expect(out[0]).to.include({ outcome: 'error', cause: 'stall' });
    expect(out[1]).to.include({ outcome: 'error', cause: 'no-baseline' });
  });

  it("says by its cause that a pooler's result has no baseline because PostgreSQL's backend crashed on direct", () => {
    const crash: Divergence = {
      step: 1,
      session: 'a',
      kind: 'crash',
      expected: 'PostgreSQL serves on',
      observed: 'a backend terminated by signal 11',
    };
    const direct = run('direct', 'crash', { divergence: crash, serverLog: ['LOG:  server process (PID 1) was terminated by signal 11'] });
    const out = applyBaseline([
      direct,
      run('p:transaction', 'crash', { divergence: crash }),
      run('p:session', 'diverge'),
      run('p:statement', 'pass'),
    ]);
    expect(out[0]).to.include({ outcome: 'crash' });
    for (const r of [out[1], out[2]]) {
      expect(r).to.include({ outcome: 'error', cause: 'postgres-crash', divergence: undefined });
      expect(r.message).to.match(/^no baseline: PostgreSQL's backend crashed on direct .*terminated by signal 11/);
    }
    expect(out[3]).to.include({ outcome: 'pass' });
  });

  it('adds what PostgreSQL did at the step where the pooler diverged', () => {
    const direct = run('direct', 'pass', { steps: [{ index: 2, session: 'a', action: 'q', observed: 'rows [["1"]]' }] });
    const out = applyBaseline([direct, run('p:transaction', 'diverge', { failedStep: 2, message: 'got rows [["2"]]' })]);
    expect(out[1].message).to.equal('got rows [["2"]]; PostgreSQL: rows [["1"]]');
  });
});
