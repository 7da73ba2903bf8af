// A crash is never a verdict: a driver helper killed in the middle of a scenario ends the one
// result it hit as `error` with the cause; a reset of one of poolcheck's own connections during
// a quiesce costs nothing (the quiesce is tried again); the run goes on, writes every report,
// and exits 2.
// The target is an external one (pgbouncer:transaction that the local provider started in
// another process) so that the test can reach its database and stand a proxy in front of it.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { poll } from '../../harness/kernel/poll.ts';
import { ControlConnection } from '../../harness/targets/control-connection.ts';
import { processesMentioning, startCli, waitUntil } from './helpers.ts';
import { serve, stopServed, url, type Served } from './served-target.ts';
import { readResults } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const PASSWORD = `pc-faults-secret-${process.pid}`;

/**
 * A pass-through to PostgreSQL that, once armed, resets (TCP RST) the first connection whose
 * client sends `marker`, instead of forwarding that write.
 */
async function resettingProxy(host: string, port: number, marker: string) {
  let armed = false;
  let resets = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream])
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    client.on('data', (d) => {
      if (armed && d.includes(marker)) {
        armed = false;
        resets++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    arm() {
      armed = true;
    },
    get resets() {
      return resets;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('faults in the middle of a run', function () {
  let child: ChildProcess;
  let served: Served;

  before(async function () {
    this.timeout(90_000);
    ({ child, served } = await serve('pgbouncer:transaction', PASSWORD));
  });
  after(() => stopServed(child));

  it('a stuck driver helper and a killed one each end one result as error with the cause, a reset control connection none; every report is written', async function () {
    this.timeout(400_000);
    // The quiesce before each scenario reads pg_stat_activity through the direct URL.
    const proxy = await resettingProxy(served.direct.host, served.direct.port, 'pg_stat_activity');
    const out = tempDir('pc-faults-');
    const run = startCli(
      [
        'run',
        '--provider',
        'external',
        '--external-pooler',
        'pgbouncer:transaction',
        '--external-pooled',
        url(served.user, served.pooled),
        '--external-single',
        url(served.user, served.single),
        '--external-direct',
        url(served.user, { ...served.direct, port: proxy.port }),
        '--password-env',
        'PC_FAULTS_PASSWORD',
        '--drivers',
        'psycopg',
        '--scenarios',
        'session-state,sequences',
        '--out',
        out,
      ],
      { PC_FAULTS_PASSWORD: PASSWORD },
    );
    const helper = (not?: number) =>
      poll(
        { what: `a psycopg helper of the run besides ${not}`, timeoutMs: 60_000, seen: () => `poolcheck said:\n${run.stderr.slice(-1500)}` },
        async () => processesMentioning('psycopg_helper.py').find((p) => p !== not),
      );
    try {
      // A helper that stops answering: whatever poolcheck asks it next misses its deadline, and
      // poolcheck kills it (it does not answer a ping either).
      // Once it has served scenarios (its start-up is over: a helper that never starts is
      // another fault), as poolcheck's first progress line shows.
      const stuck = await helper();
      await run.waitFor(/\[\s*\d+\/\d+\]/, 60_000);
      process.kill(stuck, 'SIGSTOP');
      await waitUntil('poolcheck to kill the stuck helper', 60_000, async () => !processesMentioning('psycopg_helper.py').includes(stuck));
      // The next one dies under it.
      process.kill(await helper(stuck), 'SIGKILL');
      // On the pooler's target, the control connection is reset in the middle of a quiesce.
      await run.waitFor(/started pgbouncer:transaction/, 200_000);
      proxy.arm();
      expect(await run.exited).to.equal(2);
    } finally {
      run.child.kill('SIGKILL');
      await proxy.close();
    }
    expect(proxy.resets).to.equal(1);
    for (const f of ['results.json', 'junit.xml', 'summary.md', 'feature-map.md', 'report.html'])
      expect(existsSync(path.join(out, f)), f).to.equal(true);
    const doc = readResults(out);
    const scenarios = new Set(doc.results.map((r) => r.scenario)).size;
    expect(doc.results.length).to.equal(2 * scenarios);
    const errors = doc.results.filter((r) => r.verdict === 'error');
    const cause = (m: string | null) =>
      /psycopg helper .*stopped answering/.test(m ?? '')
        ? 'stuck'
        : /psycopg helper .*exited \(SIGKILL\)/.test(m ?? '')
          ? 'killed'
          : /ECONNRESET/.test(m ?? '')
            ? 'reset'
            : 'other';
    const shown = JSON.stringify(
      errors.map((r) => [r.target, r.scenario, r.message]),
      null,
      1,
    );
    expect(
      errors.filter((r) => cause(r.message) === 'other'),
      shown,
    ).to.deep.equal([]);
    // The stuck helper's: the result whose request it never answered, on direct.
    expect(
      errors.filter((r) => r.target === 'direct' && cause(r.message) === 'stuck'),
      shown,
    ).to.have.length(1);
    // The killed one's: the result it was serving, if any (it may die between two scenarios).
    expect(errors.filter((r) => cause(r.message) === 'killed' && r.cause !== 'no-baseline').length, shown).to.be.at.most(1);
    // The reset hit a quiesce, which is tried again once the servers answer: no result is lost to it.
    expect(
      errors.filter((r) => cause(r.message) === 'reset'),
      shown,
    ).to.deep.equal([]);
    // On the pooler's target, a helper's error is its own or, for a scenario whose direct run it
    // broke and that diverged there, the missing baseline.
    for (const r of errors.filter((x) => x.target !== 'direct' && cause(x.message) === 'stuck'))
      expect(r.cause, r.message ?? '').to.equal('no-baseline');
  });

  it("poolcheck's own connection never hands a late reply to the next query, and callers that share it take turns", async function () {
    this.timeout(30_000);
    const c = new ControlConnection({ ...served.direct, user: served.user, password: PASSWORD }, 'test control');
    try {
      let missed = '';
      try {
        await c.exchange(['SELECT pg_sleep(0.5), 1 AS late'], 100);
      } catch (e) {
        missed = (e as Error).message;
      }
      expect(missed).to.match(/timed out after 100ms/);
      expect(await c.value("SELECT 'next'")).to.equal('next');
      const answers = await Promise.all(
        ['a', 'b', 'c'].map((x) => c.value(`SELECT pg_sleep(0.05), '${x}'`).then(() => c.rows(`SELECT '${x}' AS v`))),
      );
      expect(answers.map((rows) => rows[0].v)).to.deep.equal(['a', 'b', 'c']);
    } finally {
      await c.close();
    }
  });
});
