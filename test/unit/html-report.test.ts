import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { htmlReport } from '../../harness/report/html-report.ts';
import { redaction } from '../../harness/report/redact.ts';
import type { RunReport } from '../../harness/report/run-report.ts';

type Row = RunReport['results'][number];

// Scenario text reaches the page from SQL, server messages and profile files: all of it hostile to HTML.
const NASTY = `</script><img src=x onerror="alert('&')">`;

const row = (target: string, outcome: Row['outcome'], verdict: Row['verdict'], extra: Partial<Row> = {}): Row => ({
  scenario: 'sequences/a',
  category: 'sequences',
  target,
  driver: 'raw',
  outcome,
  verdict,
  expected: verdict === 'documented' ? 'diverge' : 'pass',
  durationMs: 3,
  steps: [],
  transcriptPath: `transcripts/${target}/raw/a.txt`,
  ...extra,
});

const report: RunReport = {
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
      settings: { server_reset_query: NASTY },
      effectiveSettings: { server_reset_query: NASTY },
    },
  ],
  warnings: [],
  drivers: [{ id: 'raw', version: '1', library: 'pg-protocol' }],
  results: [
    row('direct', 'pass', 'ok'),
    row('pgbouncer:transaction', 'diverge', 'documented', {
      message: `step 2: got ${NASTY}`,
      reason: 'no session state',
      link: 'javascript:alert(1)',
    }),
    row('direct', 'pass', 'ok', { scenario: 'sequences/b', transcriptPath: 'transcripts/direct/raw/b.txt' }),
  ],
};

const transcripts = new Map([
  ['transcripts/direct/raw/a.txt', 'a -- step 1: SELECT 1\na FE=> Query("SELECT 1")'],
  ['transcripts/pgbouncer:transaction/raw/a.txt', `a -- step 1: SELECT 1\na FE=> PasswordMessage("hunter22") ${NASTY}`],
  ['transcripts/direct/raw/b.txt', 'an ok result'],
]);

describe('report.html', () => {
  const page = htmlReport(report, transcripts, { features: [], published: () => undefined }, redaction(['hunter22']).anywhere);

  it('escapes what runs put in it', () => {
    expect(page).not.to.contain('<img');
    expect(page.match(/<\/script>/g)).to.have.length(3);
    expect(page).to.contain('server_reset_query=&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;&amp;&#39;)&quot;&gt;');
  });

  it("embeds the divergence with its transcript and PostgreSQL's, redacted, and leaves ok results' transcripts out", () => {
    const data = JSON.parse(/<script type="application\/json" id="poolcheck-data">(.*?)<\/script>/s.exec(page)![1]);
    expect(data.divergences).to.have.length(1);
    expect(data.divergences[0]).to.include({
      message: `step 2: got ${NASTY}`,
      transcript: 'transcripts/pgbouncer:transaction/raw/a.txt',
      direct: 'transcripts/direct/raw/a.txt',
    });
    const gz = /id="poolcheck-transcripts" data-encoding="gzip\+base64">([^<]*)</.exec(page)![1];
    const texts = JSON.parse(gunzipSync(Buffer.from(gz, 'base64')).toString('utf8'));
    expect(Object.keys(texts).sort()).to.deep.equal(['transcripts/direct/raw/a.txt', 'transcripts/pgbouncer:transaction/raw/a.txt']);
    expect(texts['transcripts/pgbouncer:transaction/raw/a.txt']).to.contain('PasswordMessage("<redacted>")');
  });

  it('asks for nothing over the network', () => {
    expect(page).to.contain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
    expect(page).not.to.match(/\b(src|href)="(https?:)?\/\//);
  });

  it('gives each result that is not ok its attempts and file:line, skips their reasons, targets their logs, and shows what changed since the baseline', () => {
    const more: RunReport = {
      ...report,
      results: [
        ...report.results,
        row('pgbouncer:transaction', 'diverge', 'flaky', {
          scenario: 'sequences/b',
          definedAt: 'suites/sequences/b.ts:7',
          message: 'no answer',
          attempts: [
            { outcome: 'diverge', durationMs: 9, message: 'no answer' },
            { outcome: 'pass', durationMs: 3 },
          ],
        }),
        row('pgbouncer:transaction', 'skip', 'skip', { scenario: 'sequences/c', message: 'not exercised: the next client got another server' }),
      ],
      diff: {
        before: { runId: 'old1', poolcheckVersion: '0.1.0' },
        after: { runId: 'r1', poolcheckVersion: '0.1.0' },
        compared: 3,
        counts: { new: 1, fixed: 0, changed: 0 },
        races: 0,
        targets: [
          {
            target: 'pgbouncer:transaction',
            before: '1.18.0',
            after: '1.18.0',
            changes: [{ kind: 'new', scenario: 'sequences/b', driver: 'raw', before: 'pass (ok)', after: 'diverge (flaky)', message: 'no answer' }],
            onlyBefore: 0,
            onlyAfter: 0,
          },
        ],
        targetsOnlyBefore: [],
        targetsOnlyAfter: [],
      },
    };
    const html = htmlReport(more, transcripts, { features: [], published: () => undefined }, (s) => s, [
      'logs/pgbouncer-transaction.postgres.log',
      'logs/pgbouncer-transaction.pgbouncer.log',
      'logs/direct.postgres.log',
    ]);
    const data = JSON.parse(/<script type="application\/json" id="poolcheck-data">(.*?)<\/script>/s.exec(html)![1]) as {
      divergences: Array<{ verdict: string }>;
      logs: Record<string, string[]>;
    };
    const flaky = data.divergences.find((d) => d.verdict === 'flaky');
    expect(flaky).to.deep.include({
      definedAt: 'suites/sequences/b.ts:7',
      attempts: [
        { outcome: 'diverge', durationMs: 9, message: 'no answer' },
        { outcome: 'pass', durationMs: 3, message: null },
      ],
    });
    expect(data.divergences.find((d) => d.verdict === 'skip')).to.deep.include({
      message: 'not exercised: the next client got another server',
      transcript: null,
    });
    expect(data.logs['pgbouncer:transaction']).to.deep.equal(['logs/pgbouncer-transaction.postgres.log', 'logs/pgbouncer-transaction.pgbouncer.log']);
    expect(html).to.contain('<a href="logs/direct.postgres.log" data-testid="log-link">direct.postgres.log</a>');
    expect(html).to.match(/<section id="diff" data-testid="diff">\n<h2>Since run old1<\/h2>\n<p>1 new, 0 fixed, 0 changed/);
  });
});
