// The rule behind `sameWireAs` (harness/scenario/skip-reason.ts): a prepare-threshold variant
// sends what its base driver sends until one statement has run the threshold's number of times
// on a connection. Recorded on the wire, through a pass-through proxy in front of real
// PostgreSQL; the same recording shows the two part ways once the threshold is reached, so the
// equality below is one that could fail.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { drivers } from '../../harness/drivers/registry.ts';
import { stopHelpers } from '../../harness/drivers/helper-process.ts';
import type { Driver } from '../../harness/drivers/session.ts';
import { runStateDir, stopAll } from '../../harness/targets/processes.ts';
import { LocalProvider } from '../../harness/targets/providers/local.ts';
import type { StartedTarget } from '../../harness/targets/started-target.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { Transcript } from '../../harness/wire/transcript.ts';
import { tempDir } from '../temp-dir.ts';
import { frontendMessages, recordingProxy } from './recording-proxy.ts';

describe('prepare-threshold variants on the wire (real PostgreSQL)', function () {
  let direct: StartedTarget;

  before(async () => {
    const runId = randomBytes(3).toString('hex');
    runStateDir(runId);
    direct = await new LocalProvider({ runId, logDir: tempDir('pc-variant-wire-'), allowInstall: true, lanes: 1 }).start(parseTarget('direct'));
  });
  after(async () => {
    await stopHelpers();
    await stopAll();
  });

  /** What `driver` sends for one connection that runs each statement `times` times. */
  const traffic = async (driver: Driver, times: number): Promise<string[]> => {
    const conn = direct.lanes[0].pools.single;
    const proxy = await recordingProxy(conn.host, conn.port);
    try {
      const s = await driver.connect({ conn: { ...conn, port: proxy.port }, label: 'a', transcript: new Transcript(), timeoutMs: 10_000 });
      for (let i = 0; i < times; i++) {
        expect((await s.query('SELECT $1::int + 1', ['41'])).rows).to.deep.equal([['42']]);
        expect((await s.query("SELECT 'no params'")).rows).to.deep.equal([['no params']]);
      }
      await s.close();
      await proxy.clientsClosed(5000);
      expect(proxy.sent, 'one connection').to.have.length(1);
      return frontendMessages(Buffer.concat(proxy.sent[0]));
    } finally {
      await proxy.close();
    }
  };

  const variants = Object.values(drivers).filter((d) => d.sameWireAs);

  it('exist for the drivers with a prepare threshold', () => {
    expect(variants.map((d) => d.id)).to.have.members(['psycopg:pooler-safe', 'pgjdbc:pooler-safe']);
  });

  for (const variant of variants) {
    const { base, executions } = variant.sameWireAs!;
    it(`${variant.id} sends what ${base} sends below ${executions} executions, and differs from there`, async () => {
      const baseDriver = drivers[base as keyof typeof drivers];
      const below = await traffic(baseDriver, executions - 1);
      expect(below.length).to.be.greaterThan(2 * (executions - 1));
      expect(await traffic(variant, executions - 1)).to.deep.equal(below);
      expect(await traffic(variant, executions + 1)).to.not.deep.equal(await traffic(baseDriver, executions + 1));
    });
  }
});
