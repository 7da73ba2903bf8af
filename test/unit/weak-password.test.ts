import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { weakSecretReason, weakSecretWarnings } from '../../harness/kernel/weak-secret.ts';
import { redaction } from '../../harness/report/redact.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';
import { writeReport } from '../../harness/report/write-report.ts';
import { tempDir } from '../temp-dir.ts';

// An external pooler's password that is also a word the reports are made of: the role's name.
const WEAK = 'poolcheck';
const STRONG = 'x7-Qz!r2-Lm9p';

const row: ReportRow = {
  scenario: 'auth-transport/login',
  category: 'auth-transport',
  target: 'pgbouncer:transaction',
  driver: 'raw',
  outcome: 'diverge',
  verdict: 'regression',
  expected: 'pass',
  durationMs: 3,
  transcriptPath: 'transcripts/t/raw/login.txt',
  reason: 'poolcheck documents nothing here',
  message: `step 1 (a: SELECT current_user): ERROR 28P01: password "${WEAK}" does not match for user "app"`,
  steps: [{ index: 0, session: 'a', action: "SELECT 'poolcheck'", observed: `ERROR 28P01: password "${WEAK}" does not match` }],
  divergence: {
    step: 1,
    session: 'a',
    kind: 'error',
    sqlstate: '28P01',
    expected: 'rows [["poolcheck"]]',
    observed: `ERROR 28P01: password "${WEAK}" does not match`,
  },
};

const report: RunReport = {
  run: { id: 'r1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, poolcheckVersion: '0.1.0' },
  targets: [
    {
      id: 'pgbouncer:transaction',
      pooler: 'pgbouncer',
      mode: 'transaction',
      provider: 'external',
      poolerVersion: null,
      postgresVersion: '15',
      startMs: 1,
      settings: {},
      effectiveSettings: {},
    },
  ],
  warnings: [],
  drivers: [{ id: 'raw', version: '1', library: 'pg-protocol' }],
  results: [row],
};

const transcript = [
  `# auth-transport/login on pgbouncer:transaction with raw: diverge (regression)`,
  `# ${row.message}`,
  'a -- step 1: SELECT current_user',
  'a -- connect via raw to the single pool as poolcheck',
  'a FE=> StartupMessage(user="poolcheck", database="poolcheck")',
  `a FE=> PasswordMessage("${WEAK}")`,
  `a <= BE ErrorResponse(S=FATAL, C=28P01, M="password \\"${WEAK}\\" does not match")`,
  `a -- => ERROR 28P01: password "${WEAK}" does not match`,
  `b FE=> Query("SELECT '${STRONG}'")`,
].join('\n');

describe('a weak password', () => {
  it('is told apart from one that cannot collide with other text', () => {
    expect(weakSecretReason(WEAK)).to.equal('9 characters long');
    expect(weakSecretReason('correcthorsebatterystaple')).to.equal('made of letters only (a word, or words)');
    expect(weakSecretReason('123456789012')).to.equal('made of digits only');
    expect(weakSecretReason(STRONG)).to.equal(undefined);
  });

  it('is masked only where a password can appear, and a strong one everywhere', () => {
    const out = tempDir('pc-weak-');
    writeReport(out, report, new Map([[row.transcriptPath!, transcript]]), redaction([WEAK, STRONG]), { features: [], published: () => undefined });
    const text = readFileSync(path.join(out, row.transcriptPath!), 'utf8').split('\n');
    expect(text).to.deep.equal([
      '# auth-transport/login on pgbouncer:transaction with raw: diverge (regression)',
      '# step 1 (a: SELECT current_user): ERROR 28P01: password "<redacted>" does not match for user "app"',
      'a -- step 1: SELECT current_user',
      'a -- connect via raw to the single pool as poolcheck',
      'a FE=> StartupMessage(user="poolcheck", database="poolcheck")',
      'a FE=> PasswordMessage("<redacted>")',
      'a <= BE ErrorResponse(S=FATAL, C=28P01, M="password \\"<redacted>\\" does not match")',
      'a -- => ERROR 28P01: password "<redacted>" does not match',
      'b FE=> Query("SELECT \'<redacted>\'")',
    ]);
    const json = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as { results: Array<Record<string, unknown>> };
    expect(json.results[0]).to.include({ scenario: 'auth-transport/login', reason: 'poolcheck documents nothing here' });
    expect(json.results[0].message).to.equal('step 1 (a: SELECT current_user): ERROR 28P01: password "<redacted>" does not match for user "app"');
    // What the scenario expected is its own words: a role named like the password stays.
    expect(json.results[0].divergence).to.include({
      expected: 'rows [["poolcheck"]]',
      observed: 'ERROR 28P01: password "<redacted>" does not match',
    });
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary)
      .to.match(/^# poolcheck summary\n/)
      .and.to.contain('password "\\<redacted\\>" does not match')
      .and.not.to.contain(`"${WEAK}"`);
  });

  it('is warned about at start; an empty password (none) is not', () => {
    expect(weakSecretWarnings([WEAK, '', STRONG])).to.have.length(1);
    expect(weakSecretWarnings([WEAK])[0]).to.match(/^the password is 9 characters long: .* masked only where a password can appear/);
  });
});
