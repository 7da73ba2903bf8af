import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { githubMode } from '../../harness/cli/github-mode.ts';
import { githubAnnotations } from '../../harness/report/github.ts';
import { junitXml } from '../../harness/report/junit.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';
import { tempDir } from '../temp-dir.ts';

const row = (driver: string, verdict: ReportRow['verdict'], extra: Partial<ReportRow> = {}): ReportRow => ({
  scenario: 'session-state/set', category: 'session-state', target: 'pgbouncer:transaction', driver, outcome: verdict === 'ok' ? 'pass' : 'diverge', verdict,
  expected: 'pass', durationMs: 1, steps: [], transcriptPath: null, definedAt: 'suites/session-state/set.ts:12', message: 'step 4: got 1, PostgreSQL: 0\nsecond line', ...extra,
});
const report: RunReport = {
  run: { id: 'r', startedAt: '', finishedAt: '', durationMs: 1, poolcheckVersion: '0.1.0' },
  targets: [{
    id: 'pgbouncer:transaction', pooler: 'pgbouncer', mode: 'transaction', provider: 'local', poolerVersion: '1.18.0', postgresVersion: '15.4', startMs: 1,
    settings: { max_prepared_statements: '0' }, effectiveSettings: { max_prepared_statements: '0', pool_mode: 'transaction' },
  }],
  warnings: [], drivers: [], results: [row('raw', 'regression'), row('pg', 'regression'), row('libpq', 'ok'), row('raw', 'improved', { scenario: 'x/y', definedAt: undefined, reason: 'r' })],
};

describe('GitHub mode', () => {
  it('annotates a regression once per scenario and target, at the line that defines it, relative to the workspace', () => {
    const lines = githubAnnotations(report, { root: '/ci/poolcheck', workspace: '/ci' });
    expect(lines).to.deep.equal([
      '::error file=poolcheck/suites/session-state/set.ts,line=12,title=poolcheck regression%3A session-state/set on pgbouncer%3Atransaction::session-state/set on pgbouncer:transaction with raw, pg: step 4: got 1, PostgreSQL: 0%0Asecond line',
      '::warning title=poolcheck improved%3A x/y on pgbouncer%3Atransaction::x/y on pgbouncer:transaction with raw: passes where the profile documents a divergence (r): update the profile',
    ]);
  });

  it('appends summary.md to the step summary when GITHUB_STEP_SUMMARY is set', () => {
    const out = tempDir('pc-gh-');
    const step = path.join(out, 'step.md');
    writeFileSync(step, 'before\n');
    writeFileSync(path.join(out, 'summary.md'), '# poolcheck summary\n');
    githubMode(report, out, { annotate: false, summary: true }, { GITHUB_STEP_SUMMARY: step });
    expect(readFileSync(step, 'utf8')).to.equal('before\n# poolcheck summary\n');
    githubMode(report, out, { annotate: false, summary: true }, {});
    expect(readFileSync(step, 'utf8')).to.equal('before\n# poolcheck summary\n');
  });

  it('gives junit.xml the target versions and settings as properties, and each case its file and line', () => {
    const xml = junitXml(report);
    expect(xml).to.contain('<property name="poolerVersion" value="1.18.0"/>');
    expect(xml).to.contain('<property name="setting.max_prepared_statements" value="0"/>');
    expect(xml).to.contain('<property name="setting.pool_mode" value="transaction (default)"/>');
    expect(xml).to.contain('name="session-state/set" time="0.001" file="suites/session-state/set.ts" line="12">');
  });
});
