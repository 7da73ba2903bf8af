import { expect } from 'chai';
import { withKnownIssues } from '../../harness/poolers/known-issue.ts';
import { findPooler } from '../../harness/poolers/known-poolers.ts';
import type { TargetFacts } from '../../harness/poolers/profile.ts';
import { judge } from '../../harness/report/verdict.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { checkScenario } from '../../harness/scenario/validate.ts';

// A case as a user writes it: the bug is pgbouncer issue N, in transaction mode, fixed in 1.21.
const known = {
  pooler: 'pgbouncer',
  modes: ['transaction'],
  versions: '<1.21',
  reason: 'the reported bug',
  link: 'https://github.com/pgbouncer/pgbouncer/issues/1',
  divergence: { kind: 'rows' as const },
};
const spec = {
  id: 'drivers/case-known-bug',
  category: 'drivers',
  why: 'a reported bug',
  pool: 'single',
  sessions: { a: {} },
  steps: [{ session: 'a', sql: 'SELECT 1' }],
  known: [known],
};

const run = (target: string, outcome: ScenarioRun['outcome'], kind: 'rows' | 'error' = 'rows'): ScenarioRun => ({
  scenario: spec.id,
  category: 'drivers',
  target,
  driver: 'raw',
  outcome,
  durationMs: 1,
  steps: [],
  ...(outcome === 'diverge' ? { divergence: { step: 1, session: 'a', kind, expected: 'rows [["1"]]', observed: 'rows [["2"]]' } } : {}),
});
const facts = (mode: string, version: string | null): TargetFacts => ({ mode, version, postgresVersion: '15.4', settings: {} });

describe('a case that knows where its bug lives', () => {
  const checked = checkScenario(spec, 'case.yaml');
  if (!checked.ok) throw new Error('invalid test case');
  const profile = withKnownIssues(findPooler('pgbouncer'), [checked.scenario]);

  it('is documented where the bug is known, with its reason and link', () => {
    expect(judge(run('pgbouncer:transaction', 'diverge'), profile, facts('transaction', '1.18.0'))).to.include({
      expected: 'diverge',
      verdict: 'documented',
      reason: 'the reported bug',
      link: known.link,
      source: 'issue',
    });
  });

  it('is improved on a release in the range where it no longer shows', () => {
    expect(judge(run('pgbouncer:transaction', 'pass'), profile, facts('transaction', '1.20.1'))).to.include({ verdict: 'improved' });
  });

  it('is judged as any scenario outside its modes and releases', () => {
    // Nothing of the case's is expected there (the built-in profile's defects may still show: 'either').
    const outside = judge(run('pgbouncer:transaction', 'pass'), profile, facts('transaction', '1.24.1'));
    expect(outside).to.include({ verdict: 'ok' });
    expect(outside.expected).to.not.equal('diverge');
    expect(judge(run('pgbouncer:transaction', 'diverge'), profile, facts('transaction', '1.24.1'))).to.include({ verdict: 'regression' });
    expect(judge(run('pgbouncer:session', 'diverge'), profile, facts('session', '1.18.0'))).to.include({ verdict: 'regression' });
  });

  it('is changed where it diverges another way than the case says', () => {
    expect(judge(run('pgbouncer:transaction', 'diverge', 'error'), profile, facts('transaction', '1.18.0'))).to.include({ verdict: 'changed' });
  });

  it('holds in every mode of its pooler when it names none, and never for another pooler', () => {
    const everywhere = withKnownIssues(findPooler('pgbouncer'), [{ id: spec.id, known: [{ ...known, modes: undefined, versions: undefined }] }]);
    for (const mode of ['session', 'transaction', 'statement'])
      expect(judge(run(`pgbouncer:${mode}`, 'diverge'), everywhere, facts(mode, '1.24.1')), mode).to.include({ verdict: 'documented' });
    const pgpool = withKnownIssues(findPooler('pgpool'), [checked.scenario]);
    expect(judge({ ...run('pgpool:cache', 'diverge'), target: 'pgpool:cache' }, pgpool, facts('cache', '4.3.5'))).to.include({
      verdict: 'regression',
    });
  });

  it('leaves a pooler poolcheck has no profile for without one', () => {
    expect(withKnownIssues(findPooler('my-pooler'), [{ id: spec.id, known: [{ ...known, pooler: 'my-pooler' }] }])).to.equal(undefined);
  });

  it('leaves the built-in profile as it was', () => {
    expect(
      findPooler('pgbouncer')?.profile.modes.transaction?.some(
        (e) => e.scenarios === spec.id || (Array.isArray(e.scenarios) && e.scenarios.includes(spec.id)),
      ),
    ).to.equal(false);
  });
});
