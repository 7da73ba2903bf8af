// A crash is never a verdict: a driver helper killed in the middle of a scenario, and a reset of
// one of poolcheck's own connections, each end the one result they hit as `error` with the
// cause; the run goes on, writes every report, and exits 2.
// The target is an external one (pgbouncer:transaction that the local provider started in
// another process) so that the test can reach its database and stand a proxy in front of it.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
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
    for (const s of [client, upstream]) s.on('error', () => { client.destroy(); upstream.destroy(); });
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
    arm() { armed = true; },
    get resets() { return resets; },
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

  it('a stuck driver helper, a killed one and a reset control connection each end one result as error with the cause; every report is written', async function () {
    this.timeout(400_000);
    // The quiesce before each scenario reads pg_stat_activity through the direct URL.
    const proxy = await resettingProxy(served.direct.host, served.direct.port, 'pg_stat_activity');
    const out = tempDir('pc-faults-');
    const run = startCli([
      'run', '--provider', 'external', '--external-pooler', 'pgbouncer:transaction',
      '--external-pooled', url(served.user, served.pooled), '--external-single', url(served.user, served.single),
      '--external-direct', url(served.user, { ...served.direct, port: proxy.port }),
      '--password-env', 'PC_FAULTS_PASSWORD', '--drivers', 'psycopg', '--scenarios', 'session-state,sequences', '--out', out,
    ], { PC_FAULTS_PASSWORD: PASSWORD });
    const helper = async (not?: number) => {
      let pid: number | undefined;
      await waitUntil('a psycopg helper of the run', 60_000, async () => {
        pid = processesMentioning('psycopg_helper.py').find((p) => p !== not);
        return pid !== undefined;
      });
      return pid!;
    };
    try {
      // A helper that stops answering: whatever poolcheck asks it next misses its deadline, and
      // poolcheck kills it (it does not answer a ping either).
      const stuck = await helper();
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
    for (const f of ['results.json', 'junit.xml', 'summary.md', 'feature-map.md']) expect(existsSync(path.join(out, f)), f).to.equal(true);
    const doc = readResults(out);
    const scenarios = new Set(doc.results.map((r) => r.scenario)).size;
    expect(doc.results.length).to.equal(2 * scenarios);
    const errors = doc.results.filter((r) => r.verdict === 'error');
    // The stuck helper's: the result whose request it never answered. The killed one's: the
    // result it was serving, if any (it may have died between two scenarios).
    const helperErrors = errors.filter((r) => /psycopg helper .*(stopped answering|exited \(SIGKILL\))/.test(r.message ?? ''));
    expect(helperErrors.some((r) => /stopped answering/.test(r.message ?? '')), JSON.stringify(errors)).to.equal(true);
    expect(helperErrors.length).to.be.within(1, 2);
    // The reset: one result on the pooler's target, naming it.
    const resetErrors = errors.filter((r) => r.target === 'pgbouncer:transaction' && /ECONNRESET/.test(r.message ?? ''));
    expect(resetErrors, JSON.stringify(errors)).to.have.length(1);
    expect(errors.length).to.equal(helperErrors.length + resetErrors.length);
  });
});
