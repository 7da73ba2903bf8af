import { expect } from 'chai';
import { pinningCell, pinningRows, pinsAfter } from '../../harness/report/pinning-map.ts';
import type { RunReport } from '../../harness/report/run-report.ts';
import { featureMapMarkdown } from '../../harness/report/feature-map.ts';

type Row = RunReport['results'][number];
const result = (scenario: string, target: string, outcome: Row['outcome'], divergence?: Row['divergence']): Row => ({
  scenario,
  category: 'stress',
  target,
  driver: 'raw',
  outcome,
  verdict: outcome === 'pass' ? 'ok' : 'unprofiled',
  expected: 'pass',
  durationMs: 1,
  steps: [],
  transcriptPath: null,
  ...(divergence ? { divergence } : {}),
});
const target = (id: string, pooler: string | null, mode: string | null): RunReport['targets'][number] => ({
  id,
  pooler,
  mode,
  provider: 'local',
  poolerVersion: pooler ? '1' : null,
  postgresVersion: '15',
  startMs: 1,
  settings: {},
  effectiveSettings: {},
});
const noAnswer = { step: 2, session: 'b', kind: 'no-answer', expected: 'e', observed: 'o' } as const;
const refused = { step: 1, session: 'a', kind: 'error', sqlstate: '08P01', expected: 'e', observed: 'o' } as const;

describe('the pinning map', () => {
  it("reads pins from the other client's missing answer, refuses from the acting client's failure, does not pin from a pass", () => {
    expect(pinningCell([result('s', 't', 'pass')])).to.equal('does not pin');
    expect(pinningCell([result('s', 't', 'diverge', noAnswer)])).to.equal('pins');
    expect(pinningCell([result('s', 't', 'diverge', refused)])).to.equal('refuses');
    expect(pinningCell([result('s', 't', 'diverge', { ...refused, step: 3, kind: 'error', sqlstate: '42P01' })])).to.equal('does not pin (lost)');
    expect(pinningCell([result('s', 't', 'skip')])).to.equal('not decided');
  });

  it('has a column per transaction or statement pooling target, a row per action, and a "pins after" line', () => {
    const report: RunReport = {
      run: { id: 'r', startedAt: 'x', finishedAt: 'y', durationMs: 1, poolcheckVersion: '0' },
      warnings: [],
      drivers: [],
      targets: [
        target('direct', null, null),
        target('pgbouncer:session', 'pgbouncer', 'session'),
        target('pgbouncer:transaction', 'pgbouncer', 'transaction'),
        target('pgbouncer:statement', 'pgbouncer', 'statement'),
      ],
      results: [
        ...['direct', 'pgbouncer:session'].map((t) => result('stress/pinning-after-open-transaction', t, 'pass')),
        result('stress/pinning-after-open-transaction', 'pgbouncer:transaction', 'diverge', noAnswer),
        result('stress/pinning-after-open-transaction', 'pgbouncer:statement', 'diverge', refused),
        result('stress/pinning-after-sql-prepare', 'pgbouncer:transaction', 'pass'),
        result('stress/pinning-after-sql-prepare', 'pgbouncer:statement', 'pass'),
      ],
    };
    const rows = pinningRows(report);
    expect(rows.map((r) => r.action)).to.deep.equal(['open transaction', 'sql prepare']);
    expect(rows[0].cells).to.deep.equal({ 'pgbouncer:transaction': 'pins', 'pgbouncer:statement': 'refuses' });
    expect(pinsAfter(rows, 'pgbouncer:transaction')).to.equal('pins after: open transaction');
    expect(pinsAfter(rows, 'pgbouncer:statement')).to.equal('pins after: none of the actions tried; refuses: open transaction');
    const md = featureMapMarkdown(report, [], () => undefined);
    expect(md).to.contain('## Pinning map');
    expect(md).to.contain('| open transaction | pins | refuses |');
    expect(featureMapMarkdown({ ...report, results: [] }, [], () => undefined)).not.to.contain('Pinning map');
  });
});
