// The drivers of other languages (libpq via pg-native, psycopg, asyncpg, pgjdbc) and their
// variants against real PostgreSQL and pgbouncer: values as the server's text, parameters,
// errors, the driver's own pid, ParameterStatus, cancel and notifications, whether a variant
// prepares, and the helper processes' lifecycle.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { driver, driverIds } from '../../harness/drivers/registry.ts';
import { stopHelpers } from '../../harness/drivers/helper-process.ts';
import type { Session } from '../../harness/drivers/session.ts';
import type { ConnInfo } from '../../harness/kernel/conn-info.ts';
import { runStateDir, stopAll } from '../../harness/targets/processes.ts';
import { LocalProvider } from '../../harness/targets/providers/local.ts';
import type { StartedTarget } from '../../harness/targets/started-target.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { Transcript } from '../../harness/wire/transcript.ts';
import { eventually, processesMentioning, waitUntil } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const NEW_DRIVERS = ['libpq', 'psycopg', 'psycopg:pooler-safe', 'asyncpg', 'asyncpg:pooler-safe', 'pgjdbc', 'pgjdbc:pooler-safe'] as const;
const HOLD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hold-helper.ts');

// Every type here prints the same whatever the driver; raw (the wire's text) is the reference.
const TYPED = "SELECT 1 AS i, 9007199254740993::int8, true, false, 1.50::numeric, 100::float8, 0.1::float4, NULL::int, 'it''s \"q\"'::text, "
  + "'2024-02-29 13:45:00.5+00'::timestamptz, '1 day 02:03:04'::interval, '{1,2,NULL}'::int[], '{\"a b\",c}'::text[], ROW(1, 'x y'), "
  + "'\\x00ff'::bytea, 'a1b2c3d4-0000-0000-0000-000000000000'::uuid, '{\"k\": [1, 2]}'::jsonb, pg_sleep(0)";

describe('drivers of other languages (real PostgreSQL and pgbouncer)', function () {
  let direct: StartedTarget;
  let bouncer: StartedTarget;
  const open: Session[] = [];

  before(async () => {
    const runId = randomBytes(3).toString('hex');
    runStateDir(runId);
    const p = new LocalProvider({ runId, logDir: tempDir('pc-drivers-'), allowInstall: true, lanes: 1 });
    [direct, bouncer] = await Promise.all([p.start(parseTarget('direct')), p.start(parseTarget('pgbouncer:transaction'))]);
  });
  afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.close().catch(() => s.destroy()))); });
  after(async () => { await stopHelpers(); await stopAll(); });

  const connect = async (id: string, conn: ConnInfo = direct.lanes[0].direct, applicationName?: string) => {
    const s = await driver(id).connect({ conn, label: 'a', transcript: new Transcript(), timeoutMs: 10_000, applicationName });
    open.push(s);
    return s;
  };

  it('lists every driver and variant, and names the valid ones for an unknown id', () => {
    expect(driverIds).to.include.members(['raw', 'pg', 'postgres.js', 'postgres.js:pooler-safe', ...NEW_DRIVERS]);
    expect(() => driver('jdbc')).to.throw(/unknown driver "jdbc"; known: raw, pg, postgres.js, .*pgjdbc:pooler-safe/);
  });

  it('returns every value as the text PostgreSQL sent, like the raw wire client', async () => {
    const want = (await (await connect('raw')).query(TYPED)).rows;
    for (const id of NEW_DRIVERS) {
      const r = await (await connect(id)).query(TYPED);
      expect(r.error, id).to.equal(undefined);
      expect(r.rows, id).to.deep.equal(want);
    }
  });

  it('binds $n parameters as untyped text, reordered and reused, next to literal % and ?', async () => {
    for (const id of NEW_DRIVERS) {
      const r = await (await connect(id)).query("SELECT $2::text || $1, $1::int + 1, '%?$1', $3::int IS NULL", ['5', 'x', null]);
      expect(r.rows, id).to.deep.equal([['x5', '6', '%?$1', 't']]);
    }
  });

  it('reports server errors as SQLSTATE results, and the connection stays usable', async () => {
    for (const id of NEW_DRIVERS) {
      const s = await connect(id);
      const r = await s.query('SELECT 1/0');
      expect(r.error?.code, id).to.equal('22012');
      expect(r.error?.message, id).to.equal('division by zero');
      expect((await s.query('SELECT 2')).rows, id).to.deep.equal([['2']]);
    }
  });

  it('runs several statements in one step, the last result with columns counting', async () => {
    for (const id of NEW_DRIVERS) {
      const s = await connect(id);
      const r = await s.query("BEGIN; SET LOCAL statement_timeout = '7s'; SHOW statement_timeout; COMMIT");
      // asyncpg runs several statements only through execute(), which returns no rows.
      expect(r.rows, id).to.deep.equal(id.startsWith('asyncpg') ? [] : [['7s']]);
      expect((await s.query('SHOW statement_timeout')).rows, id).to.deep.equal([['0']]);
    }
  });

  it('reports the backend pid and ParameterStatus values the driver itself holds', async () => {
    for (const id of NEW_DRIVERS.filter((d) => driver(d).capabilities.has('backendPid'))) {
      const s = await connect(id, direct.lanes[0].direct, 'pc-drivers-test');
      const [[pid, tz]] = (await s.query("SELECT pg_backend_pid()::text, current_setting('TimeZone')")).rows;
      expect(String(s.backendPid()), id).to.equal(pid);
      expect(s.parameterStatus('TimeZone'), id).to.equal(tz);
      await s.query("SET TimeZone = 'Asia/Kathmandu'");
      expect(s.parameterStatus('TimeZone'), id).to.equal('Asia/Kathmandu');
      // pgjdbc sets application_name after connecting, the others send it at startup.
      expect(s.parameterStatus('application_name'), id).to.equal('pc-drivers-test');
    }
  });

  it('cancels its own running query with the driver\'s cancel (57014), and goes on', async () => {
    for (const id of NEW_DRIVERS.filter((d) => driver(d).capabilities.has('cancel'))) {
      const s = await connect(id);
      const mark = `pc_cancel_${randomBytes(3).toString('hex')}`;
      const running = s.query(`SELECT pg_sleep(20) /* ${mark} */`);
      const observer = await connect('raw');
      await waitUntil(`${id}'s query to run`, 5000, async () =>
        (await observer.query(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${mark}%' AND pid <> pg_backend_pid()`)).rows[0][0] === '1');
      await s.cancel();
      expect((await running).error?.code, id).to.equal('57014');
      expect((await s.query('SELECT 3')).rows, id).to.deep.equal([['3']]);
    }
  });

  it('delivers notifications with the sender\'s pid', async () => {
    for (const id of NEW_DRIVERS.filter((d) => driver(d).capabilities.has('notifications'))) {
      const s = await connect(id);
      const ch = `pc_ch_${randomBytes(3).toString('hex')}`;
      await s.query(`LISTEN ${ch}`);
      const sender = await connect('raw');
      const [[senderPid]] = (await sender.query(`SELECT pg_backend_pid()::text, pg_notify('${ch}', 'hello')`)).rows;
      const n = await s.waitNotification(ch, 3000);
      expect(n?.payload, id).to.equal('hello');
      expect(String(n?.pid), id).to.equal(senderPid);
      expect(await s.waitNotification(ch, 100), id).to.equal(undefined);
    }
  });

  it('prepares past its threshold with default settings, never in the pooler-safe variant', async () => {
    for (const id of NEW_DRIVERS) {
      const s = await connect(id);
      for (let i = 0; i < 7; i++) await s.query('SELECT $1::int', [String(i)]);
      const [[named]] = (await s.query('SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql')).rows;
      expect(Number(named) > 0, `${id} prepared ${JSON.stringify(named)}`).to.equal(driver(id).capabilities.has('driverPrepares'));
    }
  });

  it('shows the default variants failing through pgbouncer transaction pooling where the pooler-safe ones pass', async () => {
    // Two clients on the one-server pool: the second's first named statement collides (42P05).
    for (const [id, fails] of [['psycopg', true], ['psycopg:pooler-safe', false], ['pgjdbc', true], ['pgjdbc:pooler-safe', false]] as const) {
      const [a, b] = [await connect(id, bouncer.lanes[0].pools.single), await connect(id, bouncer.lanes[0].pools.single)];
      for (let i = 0; i < 7; i++) expect((await a.query('SELECT $1::int', [String(i)])).error, id).to.equal(undefined);
      const codes = new Set<string | undefined>();
      for (let i = 0; i < 7; i++) codes.add((await b.query('SELECT $1::int', [String(i)])).error?.code);
      expect(codes.has('42P05'), id).to.equal(fails);
    }
  });

  it('names the library and version the helper loaded', async () => {
    for (const id of NEW_DRIVERS) {
      await connect(id);
      expect(driver(id).version, id).to.match(/^\d+\.\d+/);
    }
    expect(driver('psycopg').version).to.match(/^3\.\d+\.\d+$/);
    expect(driver('psycopg').library).to.match(/^psycopg \(python3-psycopg on Python 3\.\d+.*libpq 1\d\.\d+\)$/);
    expect(driver('asyncpg').library).to.match(/^asyncpg \(python3-asyncpg on Python 3\.\d+/);
    expect(driver('pgjdbc').version).to.match(/^42\.\d+\.\d+$/);
    expect(driver('pgjdbc').library).to.match(/^pgjdbc \(libpostgresql-jdbc-java on Java \d+/);
    expect(driver('libpq').version).to.match(/^1\d\.\d+$/);
  });

  it('fails the operations in flight with the helper\'s stderr when the helper dies, then starts a new one', async () => {
    const s = await connect('psycopg');
    const helperPid = processesMentioning('psycopg_helper.py').find((pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[3] === String(process.pid));
    expect(helperPid).to.be.a('number');
    const mark = `pc_dies_${randomBytes(3).toString('hex')}`;
    const running = s.query(`SELECT pg_sleep(20) /* ${mark} */`);
    const observer = await connect('raw');
    await waitUntil('the query to run in the helper', 5000, async () =>
      (await observer.query(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${mark}%' AND pid <> pg_backend_pid()`)).rows[0][0] === '1');
    process.kill(helperPid!, 'SIGKILL');
    const err = await running.then(() => new Error('the query succeeded'), (e: unknown) => e as Error);
    expect(err.message).to.match(/psycopg helper .* exited \(SIGKILL\)/);
    const again = await connect('psycopg');
    expect((await again.query('SELECT 4')).rows).to.deep.equal([['4']]);
  });

  it('leaves no helper behind when the process that started it is killed', async () => {
    for (const id of ['psycopg', 'pgjdbc']) {
      const child = spawn(process.execPath, ['--import', 'tsx', HOLD, id, JSON.stringify(direct.lanes[0].direct)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      await eventually(`${id} helper to serve the child`, 30_000, () => out.includes('ready'));
      const helpers = processesMentioning(id === 'psycopg' ? 'psycopg_helper.py' : 'PgjdbcHelper.java')
        .filter((pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[3] === String(child.pid));
      expect(helpers, `${id}: ${out}`).to.have.length(1);
      child.kill('SIGKILL');
      await eventually(`${id} helper ${helpers[0]} to exit after its parent was killed`, 5000, () => {
        try { return readFileSync(`/proc/${helpers[0]}/stat`, 'utf8').split(' ')[2] === 'Z'; } catch { return true; }
      });
    }
  });
});
