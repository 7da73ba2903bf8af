// A run's report from what it gathered (report/assemble.ts): every result is judged against its
// target's record, a target that did not start included (scenario/target-record.ts unstarted).
import { expect } from 'chai';
import { assembleReport, type FinishedRun } from '../../harness/report/assemble.ts';
import { createJudge } from '../../harness/report/judge.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { unstarted } from '../../harness/scenario/target-record.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';

const result = (target: string): ScenarioRun => ({
  scenario: 'session-state/x',
  category: 'session-state',
  target,
  driver: 'raw',
  outcome: 'error',
  cause: 'infrastructure',
  message: `target ${target} did not start`,
  durationMs: 0,
  steps: [],
});
const finished = (results: ScenarioRun[]): FinishedRun => ({
  runId: 'r',
  startedAt: new Date(0),
  finishedAt: new Date(1),
  poolcheckVersion: '0',
  provider: 'local',
  scenarios: [{ id: 'session-state/x' }],
  targets: [unstarted(parseTarget('pgbouncer:transaction'), 5, 'target pgbouncer:transaction did not start: no binary')],
  drivers: [{ id: 'raw', version: '1', library: 'poolcheck' }],
  results,
  judge: createJudge([], []),
});

describe('a report assembled from a run', () => {
  it('judges the results of a target that did not start against its record, its settings as their defaults', () => {
    const { report } = assembleReport(finished([result('pgbouncer:transaction')]));
    expect(report.results[0]).to.include({ verdict: 'error', cause: 'infrastructure' });
    expect(report.targets[0]).to.include({ id: 'pgbouncer:transaction', poolerVersion: null, startMs: 5 });
    expect(report.targets[0].effectiveSettings).to.include({ server_reset_query: 'DISCARD ALL' });
  });

  it('refuses a result of a target the run does not have, rather than judge it against made-up facts', () => {
    expect(() => assembleReport(finished([result('odyssey:session')]))).to.throw(/target odyssey:session, which is none of the run's targets/);
  });
});
