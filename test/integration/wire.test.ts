// The raw wire client against real PostgreSQL and pgbouncer: authentication methods,
// pipelining, and CancelRequest.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { MD5_USER, TRUST_USER } from '../../harness/targets/postgres-cluster.ts';
import { runStateDir, stopAll } from '../../harness/targets/processes.ts';
import { LocalProvider } from '../../harness/targets/providers/local.ts';
import type { StartedTarget } from '../../harness/targets/started-target.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { WireConnection } from '../../harness/wire/connection.ts';
import { ServerError } from '../../harness/kernel/errors.ts';
import { Transcript } from '../../harness/wire/transcript.ts';
import { tempDir } from '../temp-dir.ts';
import { waitUntil } from './helpers.ts';

describe('raw wire client (real PostgreSQL and pgbouncer)', function () {
  let direct: StartedTarget;
  let bouncer: StartedTarget;
  const transcript = new Transcript();

  before(async () => {
    const runId = randomBytes(3).toString('hex');
    runStateDir(runId);
    const p = new LocalProvider({ runId, logDir: tempDir('pc-wire-'), allowInstall: true, lanes: 1 });
    [direct, bouncer] = await Promise.all([p.start(parseTarget('direct')), p.start(parseTarget('pgbouncer:transaction'))]);
  });
  after(() => stopAll());

  const connect = (conn: StartedTarget['lanes'][number]['direct'], user?: string, password?: string) =>
    WireConnection.connect({ ...conn, ...(user ? { user } : {}), ...(password !== undefined ? { password } : {}), label: 'a', transcript, timeoutMs: 5000 });

  it('authenticates with SCRAM-SHA-256, md5 and trust', async () => {
    for (const [user, method] of [[undefined, 'AuthenticationSASL'], [MD5_USER, 'AuthenticationMD5Password'], [TRUST_USER, 'AuthenticationOk']] as const) {
      const t = new Transcript();
      const c = await WireConnection.connect({ ...direct.lanes[0].pools.wide, ...(user ? { user } : {}), label: 'a', transcript: t, timeoutMs: 5000 });
      expect(t.render()).to.contain(`a <= BE ${method}`);
      expect(c.pid).to.be.a('number');
      await c.close();
    }
  });

  it('reports a wrong password as SQLSTATE 28P01 (PostgreSQL) and 08P01 or 28P01 (pgbouncer)', async () => {
    const err = await connect(direct.lanes[0].pools.wide, undefined, 'wrong-password').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ServerError);
    expect((err as ServerError).code).to.equal('28P01');
    const viaPooler = await connect(bouncer.lanes[0].pools.wide, undefined, 'wrong-password').catch((e: unknown) => e);
    expect(viaPooler).to.be.instanceOf(ServerError);
    expect(['28P01', '08P01']).to.include((viaPooler as ServerError).code);
  });

  it('authenticates through pgbouncer with SCRAM', async () => {
    const c = await connect(bouncer.lanes[0].pools.wide);
    const reply = await c.exchange([{ type: 'Query', sql: 'SELECT 1' }]);
    expect(reply.map((m) => m.type)).to.deep.equal(['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery']);
    await c.close();
  });

  it('pipelines several extended-protocol messages before one Sync', async () => {
    const c = await connect(direct.lanes[0].pools.wide);
    const reply = await c.exchange([
      { type: 'Parse', name: 'p1', sql: 'SELECT $1::int + 1' },
      { type: 'Bind', statement: 'p1', params: ['1'] }, { type: 'Execute' },
      { type: 'Bind', statement: 'p1', params: ['41'] }, { type: 'Execute' },
      { type: 'Sync' },
    ]);
    expect(reply.map((m) => m.type)).to.deep.equal(['ParseComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'BindComplete', 'DataRow', 'CommandComplete', 'ReadyForQuery']);
    expect(reply.flatMap((m) => (m.type === 'DataRow' ? [m.values] : []))).to.deep.equal([['2'], ['42']]);
    await c.close();
  });

  it('reads up to a named reply when the list ends in Flush instead of Sync', async () => {
    const c = await connect(direct.lanes[0].pools.wide);
    const reply = await c.exchange([{ type: 'Parse', name: 'f1', sql: 'SELECT 1' }, { type: 'Describe', kind: 'S', name: 'f1' }, { type: 'Flush' }], { until: 'RowDescription' });
    expect(reply.map((m) => m.type)).to.deep.equal(['ParseComplete', 'ParameterDescription', 'RowDescription']);
    await c.close();
  });

  it('cancels its own running query with a CancelRequest on a new connection', async () => {
    const c = await connect(direct.lanes[0].pools.wide);
    const started = Date.now();
    const running = c.exchange([{ type: 'Query', sql: 'SELECT pg_sleep(30)' }], { timeoutMs: 10_000 });
    const observer = await connect(direct.lanes[0].pools.wide);
    await waitUntil('the query to be active', 5000, async () => {
      const r = await observer.exchange([{ type: 'Query', sql: `SELECT state FROM pg_stat_activity WHERE pid = ${c.pid}` }]);
      return r.some((m) => m.type === 'DataRow' && m.values[0] === 'active');
    });
    await c.cancel(5000);
    const reply = await running;
    expect(reply.flatMap((m) => (m.type === 'ErrorResponse' ? [m.code] : []))).to.deep.equal(['57014']);
    expect(Date.now() - started).to.be.lessThan(10_000);
    await c.close();
    await observer.close();
  });

  it('fails a read with what it waited for when the deadline passes', async () => {
    const c = await connect(direct.lanes[0].pools.wide);
    const err = await c.exchange([{ type: 'Query', sql: 'SELECT pg_sleep(2)' }], { timeoutMs: 200 }).catch((e: Error) => e);
    expect((err as Error).message).to.match(/timed out after 200ms waiting for the reply to 1 Sync\/Query/);
    c.destroy();
  });
});
