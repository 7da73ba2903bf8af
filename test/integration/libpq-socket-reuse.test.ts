// Issue 19: the libpq helper died of SIGSEGV (or a libuv assertion) under load. libpq closes the
// socket of a connection the server ended as soon as it reads the end, while pg-native's
// binding still watches that fd number; the next connection that got the same number could not
// be watched (EEXIST) and its first read start crashed the helper, and every session in it.
// Here the server ends a's backend, a's idle reader meets the end, and b's new connection gets
// the lowest free fd: a's old number. Before the fix this scenario was an `error` every time.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCases } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const CASE = `id: abnormal-exits/case-libpq-socket-number-reused
category: abnormal-exits
why: A libpq connection the server ended frees its socket number; the next connection gets the same number and must work.
docs: https://www.postgresql.org/docs/current/libpq-async.html
pool: wide
sessions: { a: {}, b: {} }
steps:
  - { session: a, sql: "SELECT pg_backend_pid()", save: apid }
  - { session: observer, sql: "SELECT pg_terminate_backend({{$apid}})", expect: { rows: [["t"]] } }
  - { session: observer, waitFor: { sql: "SELECT count(*) FROM pg_stat_activity WHERE pid = {{$apid}}", rows: [["0"]] } }
  # a's helper-side reader gets the end while nothing is sent: libpq closes the socket there.
  - { session: a, waitNotification: nothing, timeoutMs: 300, expect: { notification: null } }
  - { session: b, sql: "SELECT 1", expect: { rows: [["1"]] } }
  - { session: b, sql: "SELECT 2", expect: { rows: [["2"]] } }
`;

describe('libpq: a new connection on the socket number of one the server ended (issue 19)', function () {
  this.timeout(300_000);

  it('serves it, and the helper lives on', async () => {
    const cases = tempDir('pc-libpq-reuse-case-');
    writeFileSync(path.join(cases, 'reuse.yaml'), CASE);
    const { code, stderr, results } = await runCases(cases, 'direct', 'libpq');
    expect(
      results.map((r) => [r.scenario, r.driver, r.outcome, r.message ?? '']),
      stderr.slice(-2000),
    ).to.deep.equal([['abnormal-exits/case-libpq-socket-number-reused', 'libpq', 'pass', '']]);
    expect(code).to.equal(0);
  });
});
