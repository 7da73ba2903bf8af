import { expect } from 'chai';
import { junitXml } from '../../harness/report/junit.ts';
import { redaction } from '../../harness/report/redact.ts';
import { resultsJson } from '../../harness/report/results-json.ts';
import { exitCode, type RunReport } from '../../harness/report/run-report.ts';
import { cell, summaryMarkdown } from '../../harness/report/summary-md.ts';

type Row = RunReport['results'][number];
const row = (target: string, driver: string, outcome: Row['outcome'], verdict: Row['verdict'], extra: Partial<Row> = {}): Row => ({
  scenario: 'sequences/a',
  category: 'sequences',
  target,
  driver,
  outcome,
  verdict,
  expected: verdict === 'documented' ? 'diverge' : 'pass',
  durationMs: 3,
  steps: [],
  transcriptPath: `transcripts/${target}/${driver}/a.txt`,
  ...extra,
});

const report = (results: Row[]): RunReport => ({
  run: { id: 'r1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, poolcheckVersion: '0.1.0' },
  targets: [
    {
      id: 'direct',
      pooler: null,
      mode: null,
      provider: 'local',
      poolerVersion: null,
      postgresVersion: '15.20',
      startMs: 10,
      settings: {},
      effectiveSettings: {},
    },
    {
      id: 'pgbouncer:transaction',
      pooler: 'pgbouncer',
      mode: 'transaction',
      provider: 'local',
      poolerVersion: '1.18.0',
      postgresVersion: '15.20',
      startMs: 10,
      settings: {},
      effectiveSettings: { max_prepared_statements: '0' },
    },
  ],
  warnings: [],
  drivers: [
    { id: 'raw', version: '1', library: 'pg-protocol' },
    { id: 'pg', version: '8', library: 'pg' },
  ],
  results,
});

describe('reports', () => {
  const rows = [
    row('direct', 'raw', 'pass', 'ok'),
    row('direct', 'pg', 'pass', 'ok'),
    row('pgbouncer:transaction', 'raw', 'diverge', 'documented', { message: 'got 2 <&>', reason: 'no session state', link: 'https://x' }),
    row('pgbouncer:transaction', 'pg', 'pass', 'ok'),
  ];

  it('results.json follows schemaVersion 6', () => {
    const doc = JSON.parse(resultsJson(report(rows)));
    expect(doc.schemaVersion).to.equal(6);
    expect(Object.keys(doc.run)).to.deep.equal(['id', 'startedAt', 'finishedAt', 'durationMs', 'poolcheckVersion']);
    expect(doc.warnings).to.deep.equal([]);
    expect(doc.targets[1]).to.deep.equal({
      id: 'pgbouncer:transaction',
      pooler: 'pgbouncer',
      mode: 'transaction',
      settings: {},
      effectiveSettings: { max_prepared_statements: '0' },
      provider: 'local',
      poolerVersion: '1.18.0',
      postgresVersion: '15.20',
      startMs: 10,
    });
    expect(doc.results[0].divergence).to.equal(null);
    expect(doc.results[2]).to.include({
      scenario: 'sequences/a',
      category: 'sequences',
      target: 'pgbouncer:transaction',
      driver: 'raw',
      outcome: 'diverge',
      expected: 'diverge',
      verdict: 'documented',
      reason: 'no session state',
      transcript: 'transcripts/pgbouncer:transaction/raw/a.txt',
    });
    expect(doc.summary.byVerdict).to.deep.equal({
      ok: 3,
      skip: 0,
      crash: 0,
      documented: 1,
      changed: 0,
      regression: 0,
      improved: 0,
      unprofiled: 0,
      error: 0,
      flaky: 0,
    });
  });

  it('records login latency per target (p50/p95/p99 over its logins) in results.json, summary.md and beside direct', () => {
    const timed = (target: string, logins: number[]) =>
      row(target, 'raw', 'pass', 'ok', { timings: { quiesceMs: 1, connectMs: 1, checkMs: 1, logins } });
    const many = Array.from({ length: 100 }, (_, i) => i + 1);
    const doc = JSON.parse(resultsJson(report([timed('direct', [2, 1]), timed('direct', [3]), timed('pgbouncer:transaction', many)])));
    expect(doc.targets[0].loginMs).to.deep.equal({ p50: 2, p95: 3, p99: 3, count: 3 });
    expect(doc.targets[1].loginMs).to.deep.equal({ p50: 50, p95: 95, p99: 99, count: 100 });
    // Each result's own logins are summed up per target, not repeated.
    expect(doc.results[0].timings).to.deep.equal({ quiesceMs: 1, connectMs: 1, checkMs: 1 });
    expect(JSON.parse(resultsJson(report(rows))).targets[0]).not.to.have.property('loginMs');
    const md = summaryMarkdown(report([timed('direct', [2, 1]), timed('pgbouncer:transaction', many)]));
    expect(md).to.contain('| login p50 / p95 / p99 |');
    expect(md).to.contain('1.0 / 2.0 / 2.0 ms (2 logins)');
    expect(md).to.contain('50.0 / 95.0 / 99.0 ms (100 logins)');
  });

  it('junit marks regressions as failures and escapes XML', () => {
    const xml = junitXml(report([...rows, row('pgbouncer:transaction', 'pg', 'diverge', 'regression', { message: 'a < b' })]));
    expect(xml).to.contain('failures="1"');
    expect(xml).to.contain('<failure message="a &lt; b" type="regression">');
    expect(xml).to.contain('got 2 &lt;&amp;&gt;');
  });

  it('summary cells say each word once and name drivers only where they disagree', () => {
    const sk = (driver: string) => row('direct', driver, 'skip', 'skip');
    expect(cell([rows[0], rows[1]])).to.equal('pass');
    expect(cell([rows[2], rows[3]])).to.equal('doc (raw) · pass');
    const five = ['raw', 'pg', 'postgres.js', 'libpq', 'psycopg'];
    const mixed = five.map((d, i) => row('pgbouncer:transaction', d, i < 2 ? 'diverge' : 'pass', i < 2 ? 'documented' : 'ok'));
    expect(cell(mixed)).to.equal('doc (raw, pg) · pass');
    expect(cell(five.map((d, i) => row('pgbouncer:transaction', d, 'diverge', i === 4 ? 'regression' : 'documented')))).to.equal(
      '**REGRESSION** (psycopg) · doc',
    );
    expect(cell([rows[0], sk('pg')])).to.equal('skip (pg) · pass');
    expect(cell([rows[0], sk('pg')], new Set(['pg']))).to.equal('pass');
    expect(cell([sk('pg')])).to.equal('skip');
    expect(cell([])).to.equal('');
  });

  it('summary.md names the drivers that could not run a scenario once, beside it', () => {
    const drivers = ['raw', 'pg', 'postgres.js'];
    const rawOnly = (target: string, verdict: Row['verdict']) =>
      drivers.map((d) =>
        d === 'raw'
          ? row(target, d, verdict === 'ok' ? 'pass' : 'diverge', verdict, { scenario: 'sequences/b' })
          : row(target, d, 'skip', 'skip', { scenario: 'sequences/b' }),
      );
    const md = summaryMarkdown(report([...rows, ...rawOnly('direct', 'ok'), ...rawOnly('pgbouncer:transaction', 'documented')]));
    expect(md).to.contain('| scenario | direct | pgbouncer:transaction |');
    expect(md).to.contain('| a | pass | doc (raw) · pass |');
    expect(md).to.contain('| b (ran: raw) | pass | doc |');
    expect(md).to.match(/^Legend: .*`doc \(pg, raw\) · pass` = pg and raw gave doc, every other driver that ran the scenario gave pass/m);
    expect(md).to.contain('## Documented divergences');
    const most = ['raw', 'pg', 'postgres.js'].flatMap((d) =>
      ['direct', 'pgbouncer:transaction'].map((t) =>
        d === 'postgres.js' ? row(t, d, 'skip', 'ok', { scenario: 'sequences/c' }) : row(t, d, 'pass', 'ok', { scenario: 'sequences/c' }),
      ),
    );
    expect(summaryMarkdown(report(most))).to.contain('| c (not run by: postgres.js) | pass | pass |');
  });

  it('exit code: 2 on error, 1 on regression, else 0', () => {
    expect(exitCode(report(rows))).to.equal(0);
    expect(exitCode(report([...rows, row('direct', 'raw', 'diverge', 'regression')]))).to.equal(1);
    expect(exitCode(report([...rows, row('direct', 'raw', 'error', 'error'), row('direct', 'raw', 'diverge', 'regression')]))).to.equal(2);
  });

  it('redacts secrets', () => {
    expect(redaction(['hunter22-x9y8z7']).anywhere('key hunter22-x9y8z7;')).to.equal('key <redacted>;');
    // A connection string's password is masked to its end, whatever the run knew of it.
    expect(redaction(['hunter22']).anywhere('password=hunter22; more')).to.equal('password=<redacted> more');
  });
});
