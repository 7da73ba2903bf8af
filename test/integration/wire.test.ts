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
import type { ServerMessage } from '../../harness/wire/messages.ts';
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
    WireConnection.connect({
      ...conn,
      ...(user ? { user } : {}),
      ...(password !== undefined ? { password } : {}),
      label: 'a',
      transcript,
      timeoutMs: 5000,
    });

  it('authenticates with SCRAM-SHA-256, md5 and trust', async () => {
    for (const [user, method] of [
      [undefined, 'AuthenticationSASL'],
      [MD5_USER, 'AuthenticationMD5Password'],
      [TRUST_USER, 'AuthenticationOk'],
    ] as const) {
      const t = new Transcript();
      const c = await WireConnection.connect({
        ...direct.lanes[0].pools.wide,
        ...(user ? { user } : {}),
        label: 'a',
        transcript: t,
        timeoutMs: 5000,
      });
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
      { type: 'Bind', statement: 'p1', params: ['1'] },
      { type: 'Execute' },
      { type: 'Bind', statement: 'p1', params: ['41'] },
      { type: 'Execute' },
      { type: 'Sync' },
    ]);
    expect(reply.map((m) => m.type)).to.deep.equal([
      'ParseComplete',
      'BindComplete',
      'DataRow',
      'CommandComplete',
      'BindComplete',
      'DataRow',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    expect(reply.flatMap((m) => (m.type === 'DataRow' ? [m.values] : []))).to.deep.equal([['2'], ['42']]);
    await c.close();
  });

  it('reads up to a named reply when the list ends in Flush instead of Sync', async () => {
    const c = await connect(direct.lanes[0].pools.wide);
    const reply = await c.exchange([{ type: 'Parse', name: 'f1', sql: 'SELECT 1' }, { type: 'Describe', kind: 'S', name: 'f1' }, { type: 'Flush' }], {
      until: 'RowDescription',
    });
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

  describe('the messages of the next catalogue wave, on PostgreSQL', () => {
    const open = (more: Partial<Parameters<typeof WireConnection.connect>[0]> = {}) =>
      WireConnection.connect({ ...direct.lanes[0].pools.wide, label: 'a', transcript, timeoutMs: 5000, ...more });
    const types = (ms: readonly ServerMessage[]) =>
      ms.map((m) => (m.type === 'ErrorResponse' ? `${m.type}:${m.code}` : m.type === 'ReadyForQuery' ? `${m.type}:${m.status}` : m.type));

    it('calls lo_creat(-1) by FunctionCall inside BEGIN: FunctionCallResponse, then ReadyForQuery(T)', async () => {
      const c = await open();
      await c.exchange([{ type: 'Query', sql: 'BEGIN' }]);
      const [oidRow] = (await c.exchange([{ type: 'Query', sql: "SELECT 'lo_creat(integer)'::regprocedure::oid" }])).flatMap((m) =>
        m.type === 'DataRow' ? [m.values[0]] : [],
      );
      expect(oidRow).to.equal('957');
      const reply = await c.exchange([{ type: 'FunctionCall', function: 957, args: ['-1'] }]);
      expect(types(reply)).to.deep.equal(['FunctionCallResponse', 'ReadyForQuery:T']);
      const lo = reply[0].type === 'FunctionCallResponse' ? reply[0].value : undefined;
      expect(lo).to.match(/^\d+$/);
      // The same in binary: lo_unlink(oid) answers int4 1 as four bytes.
      const unlink = await c.exchange([{ type: 'FunctionCall', function: 964, args: [lo ?? null], resultFormat: 'binary' }]);
      expect(unlink[0]).to.deep.equal({ type: 'FunctionCallResponse', value: { hex: '00000001' } });
      expect(types(await c.exchange([{ type: 'Query', sql: 'ROLLBACK' }]))).to.deep.equal(['CommandComplete', 'ReadyForQuery:I']);
      await c.close();
    });

    it('binds a binary int8 parameter and reads binary results as bytes, text ones as text', async () => {
      const c = await open();
      const reply = await c.exchange([
        { type: 'Parse', name: 'b1', sql: 'SELECT $1::int8 + 1, $1::int8::text' },
        { type: 'Bind', statement: 'b1', params: [{ hex: '0000000000000005' }], resultFormats: ['binary', 'text'] },
        { type: 'Execute' },
        { type: 'Describe', kind: 'S', name: 'b1' },
        { type: 'Bind', statement: 'b1', portal: 'p', params: [{ hex: '0000000000000005' }], resultFormats: ['binary'] },
        { type: 'Describe', kind: 'P', name: 'p' },
        { type: 'Execute', portal: 'p' },
        { type: 'Sync' },
      ]);
      expect(reply.flatMap((m) => (m.type === 'DataRow' ? [m.values] : []))).to.deep.equal([
        [{ hex: '0000000000000006' }, '5'],
        [{ hex: '0000000000000006' }, { hex: '35' }],
      ]);
      expect(reply.find((m) => m.type === 'RowDescription' && m.formats)).to.deep.equal({
        type: 'RowDescription',
        columns: ['?column?', 'text'],
        formats: ['binary', 'binary'],
      });
      await c.close();
    });

    it('reads a binary COPY out as bytes, and loads binary COPY data', async () => {
      const c = await open();
      const out = await c.exchange([{ type: 'Query', sql: 'COPY (SELECT 7::int4) TO STDOUT (FORMAT binary)' }]);
      expect(out[0]).to.deep.equal({ type: 'CopyOutResponse', binary: true });
      const data = out.flatMap((m) => (m.type === 'CopyData' && typeof m.data === 'object' ? [m.data.hex] : [])).join('');
      expect(data).to.equal('5047434f50590aff0d0a00' + '00000000' + '00000000' + '0001' + '00000004' + '00000007' + 'ffff');
      await c.exchange([{ type: 'Query', sql: 'CREATE TEMP TABLE bin (i int4)' }]);
      const load = await c.exchange([
        { type: 'Query', sql: 'COPY bin FROM STDIN (FORMAT binary)' },
        { type: 'CopyData', data: { hex: data } },
        { type: 'CopyDone' },
        { type: 'Query', sql: 'SELECT i FROM bin' },
      ]);
      expect(types(load)).to.deep.equal([
        'CopyInResponse',
        'CommandComplete',
        'ReadyForQuery:I',
        'RowDescription',
        'DataRow',
        'CommandComplete',
        'ReadyForQuery:I',
      ]);
      expect(load[4]).to.deep.equal({ type: 'DataRow', values: ['7'] });
      await c.close();
    });

    it('takes COPY data sent before CopyInResponse, and answers Syncs sent in copy-in mode with one ReadyForQuery', async () => {
      const c = await open();
      await c.exchange([{ type: 'Query', sql: 'CREATE TEMP TABLE early (v int)' }]);
      const simple = await c.exchange([{ type: 'Query', sql: 'COPY early FROM STDIN' }, { type: 'CopyData', data: '1\n2\n' }, { type: 'CopyDone' }]);
      expect(types(simple)).to.deep.equal(['CopyInResponse', 'CommandComplete', 'ReadyForQuery:I']);
      const extended = await c.exchange([
        { type: 'Parse', sql: 'COPY early FROM STDIN' },
        { type: 'Bind' },
        { type: 'Execute' },
        { type: 'Sync' },
        { type: 'CopyData', data: '3\n' },
        { type: 'Sync' },
        { type: 'CopyDone' },
        { type: 'Sync' },
      ]);
      expect(types(extended)).to.deep.equal(['ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete', 'ReadyForQuery:I']);
      expect(c.discardInbox()).to.deep.equal([]);
      const count = await c.exchange([{ type: 'Query', sql: 'SELECT count(*) FROM early' }]);
      expect(count.find((m) => m.type === 'DataRow')).to.deep.equal({ type: 'DataRow', values: ['3'] });
      await c.close();
    });

    it('answers a malformed message as PostgreSQL does: an unknown type is FATAL 08P01, a bad length closes silently, a short Bind is ERROR 08P01', async () => {
      const unknown = await open();
      expect(types(await unknown.exchange([{ type: 'RawMessage', code: 'y' }], { until: 'close' }))).to.deep.equal(['ErrorResponse:08P01']);
      const badLength = await open();
      expect(await badLength.exchange([{ type: 'RawMessage', code: 'Q', payload: 'SELECT 1\0', length: 3 }], { until: 'close' })).to.deep.equal([]);
      const short = await open();
      // A Bind that ends before its portal name's terminating zero.
      const reply = await short.exchange([{ type: 'RawMessage', code: 'B' }, { type: 'Sync' }, { type: 'Query', sql: 'SELECT 1' }]);
      expect(types(reply)).to.deep.equal([
        'ErrorResponse:08P01',
        'ReadyForQuery:I',
        'RowDescription',
        'DataRow',
        'CommandComplete',
        'ReadyForQuery:I',
      ]);
      await short.close();
    });

    it('asks for protocol 3.2 with a _pq_ option: PostgreSQL 15 offers 3.0 in NegotiateProtocolVersion, and the 4-byte key still cancels', async () => {
      const t = new Transcript();
      const c = await WireConnection.connect({
        ...direct.lanes[0].pools.wide,
        label: 'a',
        transcript: t,
        timeoutMs: 5000,
        protocol: 196610,
        params: { '_pq_.poolcheck': 'on' },
      });
      expect(types(c.login).filter((x) => x !== 'ParameterStatus')).to.deep.equal([
        'NegotiateProtocolVersion',
        'AuthenticationSASL',
        'AuthenticationSASLContinue',
        'AuthenticationSASLFinal',
        'AuthenticationOk',
        'BackendKeyData',
        'ReadyForQuery:I',
      ]);
      expect(c.login[0]).to.deep.equal({ type: 'NegotiateProtocolVersion', version: 196608, options: ['_pq_.poolcheck'] });
      expect(c.protocol).to.equal(196608);
      expect(c.secret?.length).to.equal(4);
      const running = c.exchange([{ type: 'Query', sql: 'SELECT pg_sleep(30)' }], { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      await c.cancel(5000);
      expect(types(await running)).to.deep.equal(['RowDescription', 'ErrorResponse:57014', 'ReadyForQuery:I']);
      expect(t.render())
        .to.contain('a FE=> StartupMessage(version=3.2, user=')
        .and.contain('a <= BE NegotiateProtocolVersion(version=3.0, options=["_pq_.poolcheck"])');
      await c.close();
    });
  });
});
