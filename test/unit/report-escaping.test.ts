import { expect } from 'chai';
import { terminalText } from '../../harness/cli/terminal-text.ts';
import { diffRuns } from '../../harness/report/diff.ts';
import { diffMarkdown } from '../../harness/report/diff-md.ts';
import { featureMapMarkdown } from '../../harness/report/feature-map.ts';
import { githubAnnotations } from '../../harness/report/github.ts';
import { junitXml } from '../../harness/report/junit.ts';
import { markdownCode } from '../../harness/report/markdown-text.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';
import { summaryMarkdown } from '../../harness/report/summary-md.ts';

// What scenario text, server messages and profile files can hold: HTML, Markdown structure, line breaks.
const HTML = `<img src=x onerror="alert('&')"></td></table><script>alert(1)</script>`;
const MARKDOWN = '| forged cell | [click](javascript:alert(1)) `code`';
const NASTY = `${HTML} ${MARKDOWN}\n# forged heading\n<!-- hidden -->`;

const row = (target: string, extra: Partial<ReportRow> = {}): ReportRow => ({
  scenario: 'session-state/set',
  category: 'session-state',
  target,
  driver: 'raw',
  outcome: 'diverge',
  verdict: 'regression',
  expected: 'pass',
  durationMs: 3,
  steps: [],
  transcriptPath: 'transcripts/t/raw/session-state--set (1).txt',
  definedAt: 'suites/session-state/set.ts:12',
  message: `step 2: got ${NASTY}`,
  reason: NASTY,
  link: 'javascript:alert(1)',
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
      postgresVersion: '15',
      startMs: 1,
      settings: {},
      effectiveSettings: {},
    },
    {
      id: 'pgbouncer:session',
      pooler: 'pgbouncer',
      mode: 'session',
      provider: 'local',
      poolerVersion: '1.18.0',
      postgresVersion: '15',
      startMs: 1,
      settings: { server_reset_query: HTML },
      effectiveSettings: { server_reset_query: HTML },
      error: NASTY,
    },
  ],
  warnings: [NASTY],
  drivers: [{ id: 'raw', version: '1', library: 'pg-protocol' }],
  results: [
    row('direct', { outcome: 'pass', verdict: 'ok', message: undefined }),
    row('pgbouncer:session'),
    row('pgbouncer:session', { scenario: 'invalid/`cases/odd|file`.yaml', category: 'invalid', verdict: 'error', outcome: 'error' }),
    row('pgbouncer:session', { scenario: 'session-state/doc', verdict: 'documented', expected: 'diverge' }),
  ],
};

/** The lines of a Markdown text that are table rows, and how many cells each splits into (an escaped \| splits none). */
const cells = (line: string) => line.replace(/\\\\|\\\|/g, '').split('|').length - 2;

function expectInert(md: string): void {
  // No HTML tag or comment a Markdown renderer would pass through, and no line the text forged.
  expect(md).not.to.match(/(?<!\\)<(?:img|script|\/td|\/table|!--)/);
  expect(md).not.to.match(/^# forged heading/m);
  expect(md).not.to.match(/(?<!\\)\[click(?<!\\)\]\(javascript/);
}

describe('reports escape what runs put in them', () => {
  it('summary.md: text, never HTML or Markdown structure', () => {
    const md = summaryMarkdown(report);
    expectInert(md);
    expect(md).to.contain('\\<img src=x onerror="alert(\'\\&\')"\\>');
    const table = md.split('\n').filter((l) => l.startsWith('| '));
    const header = table.find((l) => l.startsWith('| scenario |'))!;
    for (const line of table.filter((l) => table.indexOf(l) > table.indexOf(header))) expect(cells(line), line).to.equal(cells(header));
    const targets = table.filter((l) => l.startsWith('| pgbouncer:session |') || l.startsWith('| direct |'));
    for (const line of targets) expect(cells(line), line).to.equal(8);
    expect(md).to.contain('[transcript](transcripts/t/raw/session-state--set%20%281%29.txt)');
    expect(md).to.contain('- ``invalid/`cases/odd\\|file`.yaml`` on pgbouncer:session');
  });

  it('feature-map.md and diff.md: the same', () => {
    const features = [{ id: 'x"><script>', title: NASTY, scenarios: ['session-state/*'] }];
    const fm = featureMapMarkdown(report, features, (t) =>
      t === 'pgbouncer:session' ? { link: 'https://example.org/<b>', cells: { 'x"><script>': NASTY } } : undefined,
    );
    expectInert(fm);
    expect(fm).to.contain('<a id="feature-x---script-"></a>');
    const side = (outcome: string) => ({
      run: { id: 'a', poolcheckVersion: '1' },
      targets: report.targets,
      results: [{ ...report.results[1], outcome, message: NASTY, divergence: null }],
    });
    expectInert(diffMarkdown(diffRuns(side('pass'), side('diverge'))));
  });

  it('markdownCode fences a span with more backticks than it holds', () => {
    expect(markdownCode('a`b')).to.equal('``a`b``');
    expect(markdownCode('`x`')).to.equal('`` `x` ``');
  });

  it('junit.xml: only characters XML can hold, line breaks kept in attributes', () => {
    const odd = { ...report, results: [row('pgbouncer:session', { message: 'a\u0001b\uffffc\ud800d "q" <t> &\nline 2\ttab' })] };
    const xml = junitXml(odd);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.to.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/);
    expect(xml).to.contain('<failure message="a\ufffdb\ufffdc\ufffdd &quot;q&quot; &lt;t&gt; &amp;&#10;line 2&#9;tab" type="regression">');
    expect(xml).to.contain('value="&lt;img src=x onerror=&quot;alert(&apos;&amp;&apos;)&quot;&gt;');
  });

  it('GitHub annotations: one workflow command per line, whatever the text', () => {
    const lines = githubAnnotations(
      { ...report, results: [row('pgbouncer:session', { message: 'x\n::error::forged\r%0A' })] },
      { root: '/ci', cwd: '/ci', workspace: '/ci' },
    );
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^::error file=suites\/session-state\/set.ts,line=12,title=poolcheck regression%3A session-state\/set::/);
    expect(lines[0])
      .to.contain('x%0A::error::forged%0D%250A')
      .and.not.to.match(/[\r\n]/);
  });

  it('the terminal: control characters shown as their escapes', () => {
    expect(terminalText('ok\u001b]0;pwned\u0007\nforged line\u009b2J')).to.equal('ok\\x1b]0;pwned\\x07\\nforged line\\x9b2J');
  });
});
