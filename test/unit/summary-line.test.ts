import { expect } from 'chai';
import { colourOn, paint } from '../../harness/cli/colour.ts';
import { exitReason } from '../../harness/cli/summary-line.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';

const row = (verdict: ReportRow['verdict']): ReportRow => ({
  scenario: 's/x',
  category: 's',
  target: 't',
  driver: 'raw',
  outcome: verdict === 'ok' || verdict === 'improved' ? 'pass' : 'diverge',
  verdict,
  expected: 'pass',
  durationMs: 1,
  steps: [],
  transcriptPath: null,
});
const report = (...verdicts: ReportRow['verdict'][]): RunReport => ({
  run: { id: 'r', startedAt: '', finishedAt: '', durationMs: 1, poolcheckVersion: '0' },
  targets: [],
  warnings: [],
  drivers: [],
  results: verdicts.map(row),
});

describe('the exit line', () => {
  it('says why a run exits 1, --strict naming what it adds', () => {
    expect(exitReason(report('ok', 'documented'), false)).to.equal(undefined);
    expect(exitReason(report('improved', 'flaky'), false)).to.equal(undefined);
    expect(exitReason(report('improved', 'flaky', 'flaky'), true)).to.equal('exit 1: 1 improved, 2 flaky (--strict fails these too)');
    expect(exitReason(report('regression', 'changed', 'improved'), true)).to.equal(
      'exit 1: 1 regression, 1 changed; 1 improved (--strict fails these too)',
    );
    expect(exitReason(report('error', 'regression'), false)).to.match(/^exit 2: 1 result\(s\) could not be decided/);
  });
});

describe('colour', () => {
  it('is on for a terminal, off with NO_COLOR, on with FORCE_COLOR', () => {
    expect(colourOn({ isTTY: true }, {})).to.equal(true);
    expect(colourOn({ isTTY: true }, { NO_COLOR: '1' })).to.equal(false);
    expect(colourOn({ isTTY: false }, {})).to.equal(false);
    expect(colourOn({ isTTY: false }, { FORCE_COLOR: '1' })).to.equal(true);
    expect(paint(true, 'red', 'REGRESSION')).to.equal('\x1b[31mREGRESSION\x1b[0m');
    expect(paint(false, 'red', 'REGRESSION')).to.equal('REGRESSION');
  });
});
