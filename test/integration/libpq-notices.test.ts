// Issue 19: libpq's default notice processor prints every NoticeResponse the server sends
// (WARNING:  ..., NOTICE:  ...) to its process's stderr, and pg-native's binding offers no
// other. The libpq driver runs pg-native in a helper process so that those lines land in the
// helper's stderr, never between poolcheck's progress lines.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCases } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const MARKER = 'pc-issue-19-notice';

// A WARNING from the server itself (an advisory lock not held) and a NOTICE of the scenario's own.
const CASE = `id: session-objects/case-libpq-notices-stay-off-stderr
category: session-objects
why: The server sends a WARNING and a NOTICE to a libpq session; poolcheck's own stderr must not show them.
docs: https://www.postgresql.org/docs/current/libpq-notice-processing.html
pool: wide
sessions: { a: {} }
steps:
  - { session: a, sql: "SELECT pg_advisory_unlock(4242019)", expect: { rows: [["f"]] } }
  - { session: a, sql: "DO $$BEGIN RAISE NOTICE '${MARKER}'; END$$" }
  - { session: a, sql: "SELECT 1", expect: { rows: [["1"]] } }
`;

describe("libpq: server notices stay off poolcheck's stderr (issue 19)", function () {
  this.timeout(300_000);

  it('runs a scenario whose server sends a WARNING and a NOTICE to libpq, and prints neither', async () => {
    const cases = tempDir('pc-libpq-notices-case-');
    writeFileSync(path.join(cases, 'notices.yaml'), CASE);
    const { code, stderr, results } = await runCases(cases, 'direct', 'libpq');
    expect(
      results.map((r) => [r.scenario, r.target, r.driver, r.outcome]),
      stderr.slice(-2000),
    ).to.deep.equal([['session-objects/case-libpq-notices-stay-off-stderr', 'direct', 'libpq', 'pass']]);
    expect(stderr).to.not.match(/you don't own a lock/);
    expect(stderr).to.not.contain(MARKER);
    expect(stderr).to.not.match(/^(WARNING|NOTICE): {2}/m);
    expect(code).to.equal(0);
  });
});
