import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import { classify, diffRuns } from '../../harness/report/diff.ts';
import { diffMarkdown } from '../../harness/report/diff-md.ts';
import { readResultsFile, type ResultsFileRow } from '../../harness/report/results-file.ts';
import { tempDir } from '../temp-dir.ts';

const rows: Divergence = { step: 4, session: 'b', kind: 'rows', expected: '0', observed: '4321s' };
const r = (outcome: string, verdict: string, extra: Partial<ResultsFileRow> = {}): ResultsFileRow => ({
  scenario: 'session-state/set',
  target: 'pgbouncer:transaction',
  driver: 'raw',
  outcome,
  verdict,
  message: null,
  divergence: null,
  ...extra,
});
const side = (id: string, version: string, results: ResultsFileRow[]) => ({
  run: { id, poolcheckVersion: '0.1.0' },
  targets: [
    { id: 'direct', pooler: null, poolerVersion: null, postgresVersion: '15.4' },
    { id: 'pgbouncer:transaction', pooler: 'pgbouncer', poolerVersion: version, postgresVersion: '15.4' },
  ],
  results,
});

describe('run-to-run diff', () => {
  it('classifies what is new, fixed and changed, by divergence and not only by verdict', () => {
    expect(classify(r('pass', 'ok'), r('diverge', 'regression', { divergence: rows }))).to.equal('new');
    expect(classify(r('pass', 'ok'), r('error', 'error'))).to.equal('new');
    expect(classify(r('diverge', 'documented', { divergence: rows }), r('pass', 'improved'))).to.equal('fixed');
    expect(
      classify(
        r('diverge', 'documented', { divergence: rows }),
        r('diverge', 'documented', { divergence: { ...rows, kind: 'error', sqlstate: '26000' } }),
      ),
    ).to.equal('changed');
    expect(classify(r('diverge', 'documented', { divergence: rows }), r('diverge', 'documented', { divergence: { ...rows, step: 5 } }))).to.equal(
      'changed',
    );
    expect(classify(r('diverge', 'documented', { divergence: rows }), r('diverge', 'changed', { divergence: rows }))).to.equal('changed');
    expect(classify(r('skip', 'ok'), r('pass', 'ok'))).to.equal('changed');
    // Observed text can carry pids and per-run names: it is not compared.
    expect(
      classify(
        r('diverge', 'documented', { divergence: rows }),
        r('diverge', 'documented', { divergence: { ...rows, observed: 'other' }, message: 'pid 9' }),
      ),
    ).to.equal(undefined);
  });

  it('says "no change" for two runs of the same build', () => {
    const results = [r('pass', 'ok'), r('diverge', 'documented', { driver: 'pg', divergence: rows }), r('pass', 'ok', { target: 'direct' })];
    const d = diffRuns(side('a', '1.18.0', results), side('b', '1.18.0', results));
    expect(d.counts).to.deep.equal({ new: 0, fixed: 0, changed: 0 });
    expect(d.compared).to.equal(3);
    expect(diffMarkdown(d)).to.contain('No change: the 3 results both runs have behave and are judged the same.');
  });

  it('counts a documented race that went the other way apart, as no change; a race that went a third way is a change', () => {
    const race = { expected: 'either' };
    const before = [
      r('pass', 'ok', race),
      r('diverge', 'documented', { ...race, driver: 'pg', divergence: rows }),
      r('pass', 'ok', { ...race, driver: 'pgx' }),
    ];
    const after = [
      r('diverge', 'documented', { ...race, divergence: rows }),
      r('pass', 'ok', { ...race, driver: 'pg' }),
      r('diverge', 'regression', { ...race, driver: 'pgx', divergence: { ...rows, kind: 'error', sqlstate: '08P01' } }),
    ];
    const d = diffRuns(side('a', '1.18.0', before), side('b', '1.18.0', after));
    expect(d.races).to.equal(2);
    expect(d.counts).to.deep.equal({ new: 1, fixed: 0, changed: 0 });
    expect(diffMarkdown(d)).to.contain(
      '**1 new, 0 fixed, 0 changed** (of 3 results both runs have). Not counted: 2 result(s) went another way their profile allows',
    );
    // Without `expected: either` (a file before schemaVersion 6) the same move is a change.
    expect(
      diffRuns(side('a', '1.18.0', [r('pass', 'ok')]), side('b', '1.18.0', [r('diverge', 'documented', { divergence: rows })])).counts.new,
    ).to.equal(1);
    const quiet = diffRuns(side('a', '1.18.0', before.slice(0, 2)), side('b', '1.18.0', after.slice(0, 2)));
    expect(diffMarkdown(quiet)).to.contain('No change: of the 2 results both runs have, 2 result(s) went another way their profile allows');
  });

  it('counts a divergence documented by the same entry at another step apart; by another entry it is a change', () => {
    const at = (step: number, reason: string) => r('diverge', 'documented', { divergence: { ...rows, step }, reason });
    expect(diffRuns(side('a', '1.5.2', [at(5, 'reset')]), side('b', '1.5.2', [at(6, 'reset')]))).to.deep.include({
      races: 1,
      counts: { new: 0, fixed: 0, changed: 0 },
    });
    expect(diffRuns(side('a', '1.5.2', [at(5, 'reset')]), side('b', '1.5.2', [at(6, 'another')]))).to.deep.include({
      races: 0,
      counts: { new: 0, fixed: 0, changed: 1 },
    });
    // Between two releases the move is news.
    expect(diffRuns(side('a', '1.5.1', [at(5, 'reset')]), side('b', '1.5.2', [at(6, 'reset')]))).to.deep.include({
      races: 0,
      counts: { new: 0, fixed: 0, changed: 1 },
    });
  });

  it('lists per target what a new release changes, with both releases', () => {
    const old = side('a', '1.18.0', [
      r('diverge', 'documented', { divergence: rows }),
      r('pass', 'ok', { scenario: 'cancel/own' }),
      r('pass', 'ok', { scenario: 'gone/x' }),
    ]);
    const now = side('b', '1.24.1', [
      r('pass', 'improved'),
      r('diverge', 'regression', { scenario: 'cancel/own', divergence: rows, message: 'got 1' }),
      r('pass', 'ok', { scenario: 'added/y' }),
    ]);
    const d = diffRuns(old, now);
    expect(d.counts).to.deep.equal({ new: 1, fixed: 1, changed: 0 });
    const t = d.targets.find((x) => x.target === 'pgbouncer:transaction')!;
    expect(t).to.include({ before: 'pgbouncer 1.18.0, PostgreSQL 15.4', after: 'pgbouncer 1.24.1, PostgreSQL 15.4', onlyBefore: 1, onlyAfter: 1 });
    const md = diffMarkdown(d);
    expect(md).to.contain('## pgbouncer:transaction (pgbouncer 1.18.0, PostgreSQL 15.4 → pgbouncer 1.24.1, PostgreSQL 15.4)');
    expect(md).to.contain('- `cancel/own` (raw): pass (ok) → diverge: rows at step 4 (b) (regression): got 1');
    expect(md).to.contain('- `session-state/set` (raw): diverge: rows at step 4 (b) (documented) → pass (improved)');
  });

  it('reads results.json of schemaVersion 1 to 6 from a folder or a file, and refuses anything else in one line', () => {
    const dir = tempDir('pc-diff-');
    const v1 = {
      schemaVersion: 1,
      run: { id: 'old', poolcheckVersion: '0.0.1' },
      targets: [{ id: 'direct' }],
      results: [{ scenario: 's/x', target: 'direct', driver: 'raw', outcome: 'pass', verdict: 'ok' }],
    };
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify(v1));
    expect(readResultsFile(dir).results[0]).to.deep.include({ divergence: null, message: null });
    // Before schemaVersion 4 a skip was judged ok; it reads as the skip it was.
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ ...v1, schemaVersion: 3, results: [{ ...v1.results[0], outcome: 'skip' }] }));
    expect(readResultsFile(dir).results[0]).to.deep.include({ outcome: 'skip', verdict: 'skip' });
    mkdirSync(path.join(dir, 'x'));
    writeFileSync(path.join(dir, 'x', 'other.json'), JSON.stringify({ schemaVersion: 9 }));
    expect(() => readResultsFile(path.join(dir, 'x', 'other.json'))).to.throw(
      /is not a poolcheck results.json this version reads \(schemaVersion 1, 2, 3, 4, 5, 6\)$/,
    );
    expect(() => readResultsFile(path.join(dir, 'x'))).to.throw(/results.json does not exist/);
  });
});
