// The lane's control connection, lent to each scenario as its observer: the next scenario gets
// the same connection without what the last one left on it, or a new one if a reply may still
// be on its way. Against real PostgreSQL.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { toResult } from '../../harness/drivers/query-result.ts';
import { runStateDir, stopAll } from '../../harness/targets/processes.ts';
import { LocalProvider } from '../../harness/targets/providers/local.ts';
import type { Lane } from '../../harness/targets/started-target.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { Transcript } from '../../harness/wire/transcript.ts';
import { tempDir } from '../temp-dir.ts';

describe("the lane control connection as the scenarios' observer (real PostgreSQL)", function () {
  let lane: Lane;

  before(async () => {
    const runId = randomBytes(3).toString('hex');
    runStateDir(runId);
    const t = await new LocalProvider({ runId, logDir: tempDir('pc-lane-control-'), allowInstall: true, lanes: 1 }).start(parseTarget('direct'));
    lane = t.lanes[0];
  });
  after(() => stopAll());

  const value = async (sql: string, transcript: Transcript, timeoutMs = 5000) =>
    toResult(await lane.observer.query(sql, transcript, timeoutMs)).rows[0]?.[0];

  it('keeps its backend across scenarios and discards the transaction, lock, setting and LISTEN one left', async () => {
    const first = new Transcript();
    const pid = await value('SELECT pg_backend_pid()', first);
    await value('SELECT pg_advisory_lock(4242)', first);
    await value("SET application_name = 'left-behind'", first);
    await value('LISTEN pc_left_behind', first);
    await value('BEGIN', first);
    await lane.observer.release();

    const second = new Transcript();
    expect(await value('SELECT pg_backend_pid()', second)).to.equal(pid);
    expect(await value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()", second)).to.equal('0');
    expect(await value('SHOW application_name', second)).to.not.equal('left-behind');
    expect(await value('SELECT count(*) FROM pg_listening_channels()', second)).to.equal('0');
    expect(await value('SELECT now() = statement_timestamp()', second), 'outside any transaction').to.equal('t');
    await lane.observer.release();
    expect(second.render()).to.contain('observer FE=> Query("SELECT pg_backend_pid()")');
    expect(second.render()).to.not.contain('pg_advisory_lock');
  });

  it('is replaced after a query that missed its deadline, whose reply could answer the next one', async () => {
    const first = new Transcript();
    const pid = await value('SELECT pg_backend_pid()', first);
    let missed: unknown;
    await value('SELECT pg_sleep(0.3)', first, 50).catch((e: unknown) => {
      missed = e;
    });
    expect(String(missed)).to.match(/timed out after 50ms/);
    await lane.observer.release();

    const second = new Transcript();
    expect(await value('SELECT pg_backend_pid()', second)).to.not.equal(pid);
    expect(await value("SELECT 'answer to this query'", second)).to.equal('answer to this query');
    await lane.observer.release();
  });

  it('leaves the lane to the quiesce with no other backend', async () => {
    await lane.quiesce();
    expect(
      await value(
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()",
        new Transcript(),
      ),
    ).to.equal('0');
    await lane.observer.release();
  });
});
