// The drivers of other languages (libpq via pg-native, psycopg, asyncpg, pgjdbc, pgx, ruby-pg,
// PDO, tokio-postgres) and their variants against real PostgreSQL and pgbouncer: values as the
// server's text, parameters, errors, the driver's own pid, ParameterStatus, cancel and
// notifications, whether a variant prepares, and the helper processes' lifecycle.
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
import { TIMEOUT_MS } from '../../harness/kernel/timeouts.ts';
import { runStateDir, stopAll } from '../../harness/targets/processes.ts';
import { LocalProvider } from '../../harness/targets/providers/local.ts';
import type { StartedTarget } from '../../harness/targets/started-target.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { Transcript } from '../../harness/wire/transcript.ts';
import { eventually, processesMentioning, waitUntil } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const NEW_DRIVERS = [
  'libpq',
  'psycopg',
  'psycopg:pooler-safe',
  'asyncpg',
  'asyncpg:pooler-safe',
  'pgjdbc',
  'pgjdbc:pooler-safe',
  'pgx',
  'pgx:pooler-safe',
  'ruby-pg',
  'ruby-pg:pooler-safe',
  'pdo-pgsql',
  'pdo-pgsql:pooler-safe',
  'tokio-postgres',
  'tokio-postgres:pooler-safe',
] as const;
/** Drivers that receive results in binary and print them as text in their helper (tokio-postgres's Client::query). */
const BINARY_RESULTS = ['tokio-postgres'];
const HOLD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hold-helper.ts');

// Every type here prints the same whatever the driver; raw (the wire's text) is the reference.
const TYPED =
  "SELECT 1 AS i, 9007199254740993::int8, true, false, 1.50::numeric, 100::float8, 0.1::float4, NULL::int, 'it''s \"q\"'::text, " +
  "'2024-02-29 13:45:00.5+00'::timestamptz, '1 day 02:03:04'::interval, '{1,2,NULL}'::int[], '{\"a b\",c}'::text[], ROW(1, 'x y'), " +
  "'\\x00ff'::bytea, 'a1b2c3d4-0000-0000-0000-000000000000'::uuid, '{\"k\": [1, 2]}'::jsonb, pg_sleep(0)";
// What a driver printing binary results must print as PostgreSQL does: every type it knows, in
// the corners of each output function (exponents, negative zero, scales, bounds, quoting).
const BINARY_TYPED =
  "SELECT 1 AS i, 9007199254740993::int8, -32768::int2, true, false, 1.50::numeric, 100::float8, 0.1::float4, NULL::int, 'it''s \"q\"'::text, " +
  "'{1,2,NULL}'::int[], '{\"a b\",c,\"\",NULL,\"null\"}'::text[], ROW(1, 'x y'), '\\x00ff'::bytea, 'a1b2c3d4-0000-0000-0000-000000000000'::uuid, " +
  "'{\"k\": [1, 2]}'::jsonb, '[1]'::json, pg_sleep(0), 1e100::float8, 1.5e-5::float8, -0.0::float8, 'NaN'::float8, '-Infinity'::float8, " +
  '123456789012345678::float8, 3.4028235e38::float4, 1e-7::float4, 0.000123::numeric, -12345.678::numeric, 0::numeric(5,2), 1e20::numeric, ' +
  "'NaN'::numeric, '[2:3]={7,8}'::int[], '{{1,2},{3,4}}'::int[], '{}'::int[], ARRAY[ROW(1,'a\"b')], ROW(NULL, '', 'a\\b'), '(0,1)'::tid, " +
  "'abc'::name, 'x'::char(3), 42::oid, '0/16B3748'::pg_lsn";

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
  // Go and Rust helpers are built on first use (minutes for Rust's crates on a fresh machine),
  // as a run does while its targets start: not inside one test's time.
  before(async function () {
    this.timeout(TIMEOUT_MS.helperBuild);
    for (const id of NEW_DRIVERS) await driver(id).warmUp?.();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close().catch(() => s.destroy())));
  });
  after(async () => {
    await stopHelpers();
    await stopAll();
  });

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
    for (const id of NEW_DRIVERS.filter((d) => !BINARY_RESULTS.includes(d))) {
      const r = await (await connect(id)).query(TYPED);
      expect(r.error, id).to.equal(undefined);
      expect(r.rows, id).to.deep.equal(want);
    }
  });

  it("prints binary results as PostgreSQL's text, and refuses the types whose text depends on the session", async () => {
    const want = (await (await connect('raw')).query(BINARY_TYPED)).rows;
    for (const id of BINARY_RESULTS) {
      const s = await connect(id);
      expect((await s.query(BINARY_TYPED)).rows, id).to.deep.equal(want);
      const err = await s.query("SELECT '2024-02-29 13:45:00.5+00'::timestamptz").then(
        () => new Error('it printed one'),
        (e: unknown) => e as Error,
      );
      expect(err.message, id).to.match(/returns timestamptz \(oid 1184\) in binary and the helper has no text form for it/);
      expect((await s.query('SELECT 5')).rows, id).to.deep.equal([['5']]);
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
      // asyncpg runs several statements only through execute(), which returns no rows; PDO only
      // through PQexec, which keeps the last result (COMMIT's).
      expect(r.rows, id).to.deep.equal(id.startsWith('asyncpg') || id.startsWith('pdo-pgsql') ? [] : [['7s']]);
      expect((await s.query('SHOW statement_timeout')).rows, id).to.deep.equal([['0']]);
    }
  });

  it('reports the backend pid and ParameterStatus values the driver itself holds', async () => {
    for (const id of NEW_DRIVERS.filter((d) => driver(d).capabilities.has('backendPid'))) {
      const s = await connect(id);
      const [[pid]] = (await s.query('SELECT pg_backend_pid()::text')).rows;
      expect(String(s.backendPid()), id).to.equal(pid);
    }
    for (const id of NEW_DRIVERS.filter((d) => driver(d).capabilities.has('parameterStatus'))) {
      const s = await connect(id, direct.lanes[0].direct, 'pc-drivers-test');
      const [[tz]] = (await s.query("SELECT current_setting('TimeZone')")).rows;
      expect(s.parameterStatus('TimeZone'), id).to.equal(tz);
      await s.query("SET TimeZone = 'Asia/Kathmandu'");
      expect(s.parameterStatus('TimeZone'), id).to.equal('Asia/Kathmandu');
      // pgjdbc sets application_name after connecting, the others send it at startup.
      expect(s.parameterStatus('application_name'), id).to.equal('pc-drivers-test');
    }
  });

  it("cancels its own running query with the driver's cancel (57014), and goes on", async () => {
    for (const id of NEW_DRIVERS.filter((d) => driver(d).capabilities.has('cancel'))) {
      const s = await connect(id);
      const mark = `pc_cancel_${randomBytes(3).toString('hex')}`;
      const running = s.query(`SELECT pg_sleep(20) /* ${mark} */`);
      const observer = await connect('raw');
      await waitUntil(
        `${id}'s query to run`,
        5000,
        async () =>
          (
            await observer.query(
              `SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${mark}%' AND pid <> pg_backend_pid()`,
            )
          ).rows[0][0] === '1',
      );
      await s.cancel();
      expect((await running).error?.code, id).to.equal('57014');
      expect((await s.query('SELECT 3')).rows, id).to.deep.equal([['3']]);
    }
  });

  it("delivers notifications with the sender's pid", async () => {
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
    // Two clients on the one-server pool: the second's first named statement collides (42P05)
    // where the names count per connection. PDO's do too, but PDO answers 42P05 itself with
    // DEALLOCATE and Parse again, so the second client never sees it.
    const perConnection = ['psycopg', 'pgjdbc', 'ruby-pg'];
    for (const [id, fails] of perConnection.flatMap(
      (d) =>
        [
          [d, true],
          [`${d}:pooler-safe`, false],
        ] as const,
    )) {
      const [a, b] = [await connect(id, bouncer.lanes[0].pools.single), await connect(id, bouncer.lanes[0].pools.single)];
      for (let i = 0; i < 7; i++) expect((await a.query('SELECT $1::int', [String(i)])).error, id).to.equal(undefined);
      const codes = new Set<string | undefined>();
      for (let i = 0; i < 7; i++) codes.add((await b.query('SELECT $1::int', [String(i)])).error?.code);
      expect(codes.has('42P05'), id).to.equal(fails);
    }
  });

  it('shows the statement caches executing by name on a server that never saw the statement (26000), the pooler-safe variants not', async () => {
    // a prepares on one server; while b holds that server in a transaction, a's next
    // transaction gets another one. Names counting per process (pgx, tokio-postgres) do not
    // collide, but this they meet all the same.
    for (const base of ['pgx', 'tokio-postgres', 'ruby-pg', 'pdo-pgsql']) {
      for (const id of [base, `${base}:pooler-safe`]) {
        const [a, b] = [await connect(id, bouncer.lanes[0].pools.wide), await connect('raw', bouncer.lanes[0].pools.wide)];
        expect((await a.query('SELECT $1::int', ['1'])).error, id).to.equal(undefined);
        await b.query('BEGIN');
        await b.query('SELECT 1');
        await a.query('BEGIN');
        const r = await a.query('SELECT $1::int', ['2']);
        await a.query('ROLLBACK');
        await b.query('COMMIT');
        expect(r.error?.code, id).to.equal(id === base ? '26000' : undefined);
      }
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
    expect(driver('pgx').version).to.match(/^4\.\d+\.\d+$/);
    expect(driver('pgx').library).to.match(/^pgx v4 \(golang-github-jackc-pgx-v4-dev, built with go1\.\d+/);
    expect(driver('ruby-pg').version).to.match(/^1\.\d+\.\d+$/);
    expect(driver('ruby-pg').library).to.match(/^ruby-pg \(ruby-pg on Ruby 3\.\d+.*libpq 1\d\.\d+\)$/);
    expect(driver('pdo-pgsql').version).to.match(/^8\.\d+\.\d+$/);
    expect(driver('tokio-postgres').version).to.match(/^0\.7\.\d+$/);
    expect(driver('tokio-postgres').library).to.match(/^tokio-postgres \(librust-tokio-postgres-dev, built with rustc 1\.\d+/);
  });

  it("fails the operations in flight with the helper's stderr when the helper dies, then starts a new one", async () => {
    const s = await connect('psycopg');
    const helperPid = processesMentioning('psycopg_helper.py').find(
      (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[3] === String(process.pid),
    );
    expect(helperPid).to.be.a('number');
    const mark = `pc_dies_${randomBytes(3).toString('hex')}`;
    const running = s.query(`SELECT pg_sleep(20) /* ${mark} */`);
    const observer = await connect('raw');
    await waitUntil(
      'the query to run in the helper',
      5000,
      async () =>
        (await observer.query(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${mark}%' AND pid <> pg_backend_pid()`))
          .rows[0][0] === '1',
    );
    process.kill(helperPid!, 'SIGKILL');
    const err = await running.then(
      () => new Error('the query succeeded'),
      (e: unknown) => e as Error,
    );
    expect(err.message).to.match(/psycopg helper .* exited \(SIGKILL\)/);
    const again = await connect('psycopg');
    expect((await again.query('SELECT 4')).rows).to.deep.equal([['4']]);
  });

  it('leaves no helper behind when the process that started it is killed', async () => {
    // The process each driver's helper runs as; PDO's sessions are processes of the helper's own.
    const HELPER_COMMAND: Record<string, string> = {
      psycopg: 'psycopg_helper.py',
      pgjdbc: 'PgjdbcHelper.java',
      'pdo-pgsql': 'pdo_pgsql_helper.php',
      pgx: 'pgx-helper',
    };
    for (const id of Object.keys(HELPER_COMMAND)) {
      const child = spawn(process.execPath, ['--import', 'tsx', HOLD, id, JSON.stringify(direct.lanes[0].direct)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      await eventually(`${id} helper to serve the child`, 30_000, () => out.includes('ready'));
      const mentioning = processesMentioning(HELPER_COMMAND[id]);
      const parent = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[3];
      const helpers = mentioning.filter((pid) => parent(pid) === String(child.pid));
      expect(helpers, `${id}: ${out}`).to.have.length(1);
      const sessions = mentioning.filter((pid) => parent(pid) === String(helpers[0]));
      expect(sessions, id).to.have.length(id === 'pdo-pgsql' ? 1 : 0);
      child.kill('SIGKILL');
      for (const pid of [...helpers, ...sessions]) {
        await eventually(`${id} helper process ${pid} to exit after its parent was killed`, 5000, () => {
          try {
            return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] === 'Z';
          } catch {
            return true;
          }
        });
      }
    }
  });
});
