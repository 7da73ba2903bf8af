import { expect } from 'chai';
import { nextSteps } from '../../harness/report/next-steps.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';

const row = (verdict: ReportRow['verdict'], extra: Partial<ReportRow> = {}): ReportRow => ({
  scenario: 'session-state/set-visible-to-next-client',
  category: 'session-state',
  target: 'pgbouncer:transaction',
  driver: 'raw',
  outcome: 'diverge',
  expected: 'pass',
  verdict,
  durationMs: 1,
  steps: [],
  transcriptPath: null,
  ...extra,
});
const report = (results: ReportRow[]): RunReport => ({
  run: { id: 'r', startedAt: '', finishedAt: '', durationMs: 0, poolcheckVersion: '0' },
  targets: [],
  warnings: [],
  drivers: [],
  results,
});

describe('what to do next', () => {
  it('says it once per kind of finding, most urgent first, with the command that runs the first one again', () => {
    const lines = nextSteps(report([row('ok'), row('improved'), row('regression'), row('regression', { driver: 'pg' })]), 'out');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(
      /^regression: .*npx poolcheck run --targets 'pgbouncer:transaction' --drivers raw --scenarios session-state\/set-visible-to-next-client/,
    );
    expect(lines[0]).to.contain("npx poolcheck repro --from out --result 'session-state/set-visible-to-next-client@pgbouncer:transaction/raw'");
    expect(lines[1]).to.match(/^improved: /);
  });

  it('tells an invalid scenario, a fault of the environment, a stall and a PostgreSQL crash apart by their cause', () => {
    expect(nextSteps(report([row('error', { outcome: 'error', cause: 'invalid-scenario' })]), 'o')[0]).to.match(/catalogue bug.*--targets 'direct'/);
    expect(nextSteps(report([row('error', { outcome: 'error', cause: 'infrastructure' })]), 'o')[0]).to.match(/logs\//);
    expect(nextSteps(report([row('error', { outcome: 'error', cause: 'stall' })]), 'o')[0]).to.match(/stalled.*--scenarios/);
    expect(nextSteps(report([row('error', { outcome: 'error', cause: 'postgres-crash' })]), 'o')[0]).to.match(/crashed on direct/);
    expect(nextSteps(report([row('ok'), row('documented')]), 'o')).to.deep.equal([]);
  });
});
