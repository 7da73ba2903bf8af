import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { githubMode } from '../../harness/cli/github-mode.ts';
import { githubAnnotations } from '../../harness/report/github.ts';
import { githubSummaryMarkdown } from '../../harness/report/github-summary.ts';
import { junitXml } from '../../harness/report/junit.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';
import { tempDir } from '../temp-dir.ts';

const row = (driver: string, verdict: ReportRow['verdict'], extra: Partial<ReportRow> = {}): ReportRow => ({
  scenario: 'session-state/set',
  category: 'session-state',
  target: 'pgbouncer:transaction',
  driver,
  outcome: verdict === 'ok' ? 'pass' : verdict === 'skip' ? 'skip' : 'diverge',
  verdict,
  expected: 'pass',
  durationMs: 1,
  steps: [],
  transcriptPath: null,
  definedAt: 'suites/session-state/set.ts:12',
  message: 'step 4: got 1, PostgreSQL: 0\nsecond line',
  ...extra,
});
const target = (id: string, mode: string): RunReport['targets'][number] => ({
  id,
  pooler: 'pgbouncer',
  mode,
  provider: 'local',
  poolerVersion: '1.18.0',
  postgresVersion: '15.4',
  startMs: 1,
  settings: { max_prepared_statements: '0' },
  effectiveSettings: { max_prepared_statements: '0', pool_mode: mode },
});
const report: RunReport = {
  run: { id: 'r', startedAt: '', finishedAt: '', durationMs: 1, poolcheckVersion: '0.1.0' },
  targets: [target('pgbouncer:transaction', 'transaction')],
  warnings: [],
  drivers: [],
  results: [
    row('raw', 'regression'),
    row('pg', 'regression'),
    row('libpq', 'ok'),
    row('raw', 'improved', { scenario: 'x/y', definedAt: undefined, reason: 'r' }),
  ],
};

/** A default-sized run: many scenarios on several targets, most of them ok or documented, some findings. */
function bigReport(findings: number): RunReport {
  const targets = ['direct', 'pgbouncer:session', 'pgbouncer:transaction', 'pgbouncer:statement', 'pgpool:cache'];
  const drivers = ['raw', 'pg', 'postgres.js', 'psycopg'];
  const results: ReportRow[] = [];
  for (let s = 0; s < 250; s++) {
    for (const t of targets) {
      for (const d of drivers) {
        const verdict: ReportRow['verdict'] =
          s < findings && t === 'pgbouncer:transaction'
            ? 'regression'
            : t.endsWith('transaction') || t.endsWith('statement')
              ? 'documented'
              : s % 7 === 0
                ? 'skip'
                : 'ok';
        results.push(
          row(d, verdict, {
            scenario: `cat${s % 9}/scenario-${s}`,
            category: `cat${s % 9}`,
            target: t,
            reason: 'a server connection is shared',
            link: 'https://www.pgbouncer.org/features.html',
            ...(verdict === 'regression' ? { divergence: { step: 2, session: 'b', kind: 'rows', expected: 'x', observed: 'y' } } : {}),
          }),
        );
      }
    }
  }
  return {
    ...report,
    targets: targets.map((t) => ({ ...target(t, t.split(':')[1] ?? ''), ...(t === 'direct' ? { pooler: null, mode: null } : {}) })),
    drivers: drivers.map((id) => ({ id, version: '1', library: id })),
    results,
  };
}

/** What `f` writes on stdout (the annotations), kept from the test's own output. */
function stdoutOf(f: () => void): string {
  const write = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = (chunk: string) => {
    text += chunk;
    return true;
  };
  try {
    f();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

describe('GitHub mode: annotations', () => {
  it('annotates one finding once, at the line that defines it, relative to the workspace, naming its targets and drivers', () => {
    const two = {
      ...report,
      targets: [...report.targets, target('pgbouncer:statement', 'statement')],
      results: [...report.results, row('raw', 'regression', { target: 'pgbouncer:statement' })],
    };
    const lines = githubAnnotations(two, { root: '/ci/poolcheck', cwd: '/elsewhere', workspace: '/ci' });
    expect(lines).to.deep.equal([
      '::error file=poolcheck/suites/session-state/set.ts,line=12,title=poolcheck regression%3A session-state/set::session-state/set on pgbouncer:transaction (raw, pg), pgbouncer:statement (raw): step 4: got 1, PostgreSQL: 0%0Asecond line',
      '::warning title=poolcheck improved%3A x/y::x/y on pgbouncer:transaction (raw): passes where the profile documents a divergence (r): update the profile',
    ]);
  });

  it("points at a user's case file where poolcheck ran, not inside poolcheck's package", () => {
    const repo = tempDir('pc-gh-repo-');
    mkdirSync(path.join(repo, 'cases'));
    writeFileSync(path.join(repo, 'cases', 'mine.ts'), '// a case\n');
    const mine = { ...report, results: [row('raw', 'regression', { definedAt: 'cases/mine.ts:3' })] };
    const [line] = githubAnnotations(mine, { root: path.join(repo, 'node_modules/poolcheck/dist'), cwd: repo, workspace: repo });
    expect(line).to.match(/^::error file=cases\/mine\.ts,line=3,/);
  });

  it('stays within what GitHub shows: 10 errors, 10 warnings, and one notice for the rest', () => {
    const many = bigReport(25);
    const withWarnings = {
      ...many,
      results: [...many.results, ...Array.from({ length: 12 }, (_, i) => row('raw', 'flaky', { scenario: `f/flaky-${i}`, attempts: [] }))],
    };
    const lines = githubAnnotations(withWarnings, { root: '/ci', cwd: '/ci', workspace: '/ci' });
    expect(lines.filter((l) => l.startsWith('::error'))).to.have.length(10);
    expect(lines.filter((l) => l.startsWith('::warning'))).to.have.length(10);
    expect(lines.filter((l) => l.startsWith('::notice'))).to.deep.equal([
      '::notice title=poolcheck::+17 more finding(s) not annotated (GitHub shows 10 errors and 10 warnings per step): the step summary and summary.md in the reports list them all',
    ]);
  });

  it('makes improved and flaky errors with --strict, as they fail the run then', () => {
    expect(githubAnnotations(report, { root: '/ci', cwd: '/ci', workspace: '/ci' }, true).filter((l) => l.startsWith('::error'))).to.have.length(2);
  });
});

describe('GitHub mode: the step summary', () => {
  it('starts with the counts and what is not ok, folds the matrix and the documented list, and stays short above them', () => {
    const text = githubSummaryMarkdown(bigReport(60));
    const before = text.slice(0, text.indexOf('<details>')).split('\n');
    expect(before.length).to.be.below(100);
    expect(before[2]).to.match(/^\*\*\d+ ok, \d+ skipped, \d+ documented, 0 changed, \d+ regression/);
    expect(before.join('\n')).to.contain('| **REGRESSION** | `cat0/scenario-0` | pgbouncer:transaction | raw, pg, postgres.js, psycopg |');
    expect(before.join('\n')).to.contain('and 20 more: summary.md in the uploaded reports lists them all.');
    expect(text).to.match(/<details>\n<summary>Matrix: 250 scenarios x 5 targets<\/summary>\n\n\| scenario \|/);
    expect(text).to.match(/<summary>Documented divergences \(\d+ results\)<\/summary>/);
    expect(Buffer.byteLength(text)).to.be.below(256 * 1024);
  });

  it('has no link a job page cannot resolve (relative ones into the out folder)', () => {
    const text = githubSummaryMarkdown({
      ...bigReport(3),
      results: bigReport(3).results.map((x) => ({ ...x, transcriptPath: 'transcripts/a/b.txt' })),
    });
    const targets = [...text.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(targets.filter((u) => !/^https?:\/\//.test(u))).to.deep.equal([]);
  });

  it('leaves out a part that would not fit, and says where it is', () => {
    const huge = bigReport(0);
    const long = {
      ...huge,
      results: huge.results.map((x) =>
        x.verdict === 'documented' ? { ...x, reason: 'r'.repeat(2000), scenario: `${x.scenario}-${x.driver}-${x.target}` } : x,
      ),
    };
    const text = githubSummaryMarkdown(long);
    expect(text).to.match(/Documented divergences \(\d+ results\): left out here \(\d+ KiB\); summary.md in the uploaded reports has it\./);
    expect(Buffer.byteLength(text)).to.be.below(256 * 1024);
  });

  it('is written with the annotations when GITHUB_STEP_SUMMARY is set, and a shard writes one line only', () => {
    const step = path.join(tempDir('pc-gh-'), 'step.md');
    writeFileSync(step, 'before\n');
    const printed = stdoutOf(() => githubMode(report, false, { GITHUB_STEP_SUMMARY: step, GITHUB_WORKSPACE: '/ci' }));
    expect(printed.split('\n').filter((l) => l.startsWith('::'))).to.have.length(2);
    const written = readFileSync(step, 'utf8');
    expect(written).to.match(/^before\n## poolcheck run r\n\n\*\*1 ok/);
    expect(
      stdoutOf(() => githubMode({ ...report, run: { ...report.run, shard: { index: 2, count: 3 } } }, false, { GITHUB_STEP_SUMMARY: step })),
    ).to.equal('');
    expect(readFileSync(step, 'utf8').slice(written.length)).to.equal(
      'poolcheck shard 2/3: 4 results, 2 regression or changed, 0 error; the annotations and the summary come from poolcheck merge.\n',
    );
    githubMode(report, false, {});
    expect(
      readFileSync(step, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('poolcheck shard')),
    ).to.have.length(1);
  });
});

describe('junit.xml', () => {
  it('gives the target versions and settings as properties, and each case its file and line', () => {
    const xml = junitXml(report);
    expect(xml).to.contain('<property name="poolerVersion" value="1.18.0"/>');
    expect(xml).to.contain('<property name="setting.max_prepared_statements" value="0"/>');
    expect(xml).to.contain('<property name="setting.pool_mode" value="transaction (default)"/>');
    expect(xml).to.contain('name="session-state/set" time="0.001" file="suites/session-state/set.ts" line="12"');
  });

  const flaky = row('postgres.js', 'flaky', {
    message: 'step 2: no answer',
    attempts: [
      { outcome: 'diverge', durationMs: 5, message: 'step 2: no answer' },
      { outcome: 'pass', durationMs: 4 },
    ],
  });
  const improved = row('pg', 'improved', { scenario: 'x/y', reason: 'documented leak', outcome: 'pass' });

  it('shows a flaky result as CI test views show reruns: passed, with each failed attempt as a flakyFailure', () => {
    const xml = junitXml({ ...report, results: [flaky] });
    expect(xml).to.match(
      /<testcase classname="pgbouncer:transaction\/postgres_js" name="session-state\/set"[^>]*><properties><property name="target" value="pgbouncer:transaction"\/><property name="driver" value="postgres.js"\/><property name="verdict" value="flaky"\/><\/properties><flakyFailure message="step 2: no answer" type="diverge">step 2: no answer<\/flakyFailure>/,
    );
    expect(xml).to.contain('failures="0"');
  });

  it('fails improved and flaky results with --strict, as the exit code does, and names why', () => {
    const xml = junitXml({ ...report, results: [flaky, improved] }, true);
    expect(xml).to.contain('<testsuites name="poolcheck" tests="2" failures="2" errors="0"');
    expect(xml).to.contain('<failure message="attempts disagreed (diverge, pass): --strict fails it" type="flaky">');
    expect(xml).to.contain('<rerunFailure message="step 2: no answer" type="diverge">');
    expect(xml).to.contain(
      '<failure message="passes where the profile documents a divergence (documented leak): --strict fails it until the profile is updated" type="improved">',
    );
    expect(junitXml({ ...report, results: [flaky, improved] })).to.contain('failures="0"');
  });

  it('writes classnames Jenkins does not split: no dot in them', () => {
    const xml = junitXml({ ...report, results: [row('postgres.js', 'ok', { target: 'pgbouncer:transaction{server_reset_query=a.b}' })] });
    const classnames = [...xml.matchAll(/classname="([^"]*)"/g)].map((m) => m[1]);
    expect(classnames).to.deep.equal(['pgbouncer:transaction{server_reset_query=a_b}/postgres_js']);
  });
});
