// A throwaway PostgreSQL cluster per target. initdb runs once per run into a template; each
// target gets a copy (cp -a is ~20x faster than initdb) and its own port on 127.0.0.1.
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnInfo } from '../kernel/conn-info.ts';
import { LOOPBACKS } from '../kernel/loopbacks.ts';
import { scramSecret } from '../wire/scram.ts';
import { freePort } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './processes.ts';
import { waitUntilReady } from './readiness.ts';
import { serverUser } from './server-user.ts';

const execFileAsync = promisify(execFile);

export const APP_USER = 'poolcheck';
export const APP_DATABASE = 'poolcheck';
/** Roles for the authentication tests: one whose password is stored as md5, one let in by trust. */
export const MD5_USER = 'pc_md5';
export const TRUST_USER = 'pc_trust';
/** A role let in only over TLS with a client certificate poolcheck's test CA signed for it (`hostssl ... cert`). */
export const CERT_USER = 'pc_cert';
/**
 * poolcheck's own connections (observer, quiesce, readiness) log in as this superuser with
 * md5: they are not under test, and SCRAM's key derivation on every one of them (several per
 * scenario) would cost more CPU than the scenarios themselves.
 */
export const OBSERVER_USER = 'pc_observer';

function asServerUser(): { uid?: number; gid?: number } {
  const u = serverUser();
  return u ? { uid: u.uid, gid: u.gid } : {};
}

function chownTree(dir: string): void {
  const u = serverUser();
  if (u) execFileSync('chown', ['-R', `${u.uid}:${u.gid}`, dir]);
}

/** Host-based authentication: md5 and trust for their test roles, SCRAM for everyone else, loopback only. */
const HBA =
  LOOPBACKS.flatMap((net) => [
    // The certificate's CN must be the role's name. https://www.postgresql.org/docs/current/auth-cert.html
    `hostssl all ${CERT_USER} ${net} cert`,
    `host all ${TRUST_USER} ${net} trust`,
    `host all ${MD5_USER},${OBSERVER_USER} ${net} md5`,
    `host all all ${net} scram-sha-256`,
  ]).join('\n') + '\n';

// Durability is irrelevant to a throwaway cluster; these make start and DDL fast.
const CONF = `
listen_addresses = '127.0.0.1,::1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
# JIT compiles a catalog query that crosses jit_above_cost: asyncpg 0.27's type introspection
# (a name[] result) took 220 ms with it and 30 ms without on an idle machine, and over the
# step's 5 s deadline in a loaded run. Nothing under test depends on it; a scenario that
# sets jit per session still can.
jit = off
max_prepared_transactions = 20
log_line_prefix = '%m [%p] %q%u@%d '
# Each backend's pid beside its database in the log: a crash is traced to its lane (server-log.ts).
log_connections = on
ssl = on
# The test CA: a client certificate it signed is checked (the cert method); clients without one are not asked for it.
ssl_ca_file = 'ca.crt'
`;

/** Lane i's database: scenarios in different lanes never share one. */
export const laneDatabase = (i: number) => (i === 0 ? APP_DATABASE : `${APP_DATABASE}_${i}`);

/**
 * What turns a fresh initdb into poolcheck's cluster: the same roles, lane databases,
 * pg_hba.conf and postgresql.conf for every provider. The local provider applies it to its
 * template; the docker provider copies it into the PostgreSQL container, whose start script
 * (docker/postgres/start-postgres.sh) applies it there.
 */
export interface ClusterSetup {
  /** initdb's arguments after `-D DIR`. */
  readonly initdbArgs: readonly string[];
  /** Appended to the postgresql.conf initdb wrote. */
  readonly conf: string;
  /** Replaces pg_hba.conf. */
  readonly hba: string;
  /** Fed to `postgres --single` (one command a line): holds the password, so never logged. */
  readonly bootstrapSql: string;
}

/**
 * The app role's password, and the SCRAM secret PostgreSQL stores for it, made once per run.
 * A pooler given the secret (pgbouncer's auth_file) authenticates clients without the password
 * and logs in to the server with the key the client proved, as pgbouncer's docs advise, instead
 * of deriving keys itself (4096 PBKDF2 rounds) for every client and every server connection.
 */
export interface AppCredentials {
  readonly password: string;
  readonly scramSecret: string;
}

export const appCredentials = (password: string): AppCredentials => ({ password, scramSecret: scramSecret(password) });

/** How big a run's clusters are: a database per lane, and backends for the largest load it runs. */
export interface ClusterShape {
  readonly lanes: number;
  readonly maxConnections: number;
}

/**
 * Room for every scenario of a default run on every lane, the pools' servers included. The
 * stress family asks for more (stress.ts); the shared memory that comes with a thousand slots
 * costs every start (2.6 s to 7.4 s for a target here) and every login, so only it pays.
 */
export const DEFAULT_MAX_CONNECTIONS = 200;

export function clusterSetup(app: AppCredentials, shape: ClusterShape): ClusterSetup {
  const { lanes } = shape;
  const lit = `'${app.password.replace(/'/g, "''")}'`;
  return {
    // 1 MB WAL segments instead of 16: every target copies the template, its WAL segment with it.
    initdbArgs: ['-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--auth=trust', '--wal-segsize=1'],
    conf: `${CONF}max_connections = ${shape.maxConnections}\n`,
    hba: HBA,
    bootstrapSql: [
      `CREATE ROLE ${APP_USER} SUPERUSER LOGIN PASSWORD '${app.scramSecret}';`,
      `CREATE ROLE ${TRUST_USER} LOGIN;`,
      `CREATE ROLE ${CERT_USER} LOGIN;`,
      `SET password_encryption = 'md5';`,
      `CREATE ROLE ${MD5_USER} LOGIN PASSWORD ${lit};`,
      `CREATE ROLE ${OBSERVER_USER} SUPERUSER LOGIN PASSWORD ${lit};`,
      `CREATE ROLE pc_other NOLOGIN;`,
      // FILE_COPY: PostgreSQL 15's default (WAL_LOG) writes each new database into the WAL, which
      // every target then copies; this keeps the template smaller (60 MB instead of 76 MB).
      ...Array.from({ length: lanes }, (_, i) => `CREATE DATABASE ${laneDatabase(i)} OWNER ${APP_USER} STRATEGY = FILE_COPY;`),
      '',
    ].join('\n'),
  };
}

export async function initTemplate(binDir: string, dir: string, app: AppCredentials, shape: ClusterShape): Promise<void> {
  // Not spawnSync: drivers warm up (a JVM starts) while initdb runs.
  const run = async (cmd: string, args: string[], input?: string) => {
    const pending = execFileAsync(path.join(binDir, cmd), args, { encoding: 'utf8', ...asServerUser(), timeout: TIMEOUT_MS.serverCommand });
    pending.child.stdin?.end(input ?? '');
    await pending.catch((err: Error & { stderr?: string; stdout?: string }) => {
      throw new Error(`${cmd} failed (${err.message.split('\n')[0]}): ${(err.stderr || err.stdout || '').trim().split('\n').slice(-3).join(' ')}`);
    });
  };
  const setup = clusterSetup(app, shape);
  await run('initdb', ['-D', dir, ...setup.initdbArgs]);
  makeCertificate(dir);
  appendFileSync(path.join(dir, 'postgresql.conf'), setup.conf);
  // Single-user mode takes one command per line and needs no port or authentication.
  await run('postgres', ['--single', '-D', dir, '-c', 'fsync=off', 'postgres'], setup.bootstrapSql);
  writeFileSync(path.join(dir, 'pg_hba.conf'), setup.hba);
  chownTree(dir);
}

/**
 * A self-signed certificate for TLS scenarios (clients use sslmode=require: encrypted, not
 * verified). It lives in the data directory as server.crt/server.key, PostgreSQL's defaults,
 * so every cluster copied from the template has it, and poolers can use the same files.
 */
export function makeCertificate(dir: string): void {
  const openssl = (args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: TIMEOUT_MS.serverCommand, cwd: dir });
    if (r.status !== 0)
      throw new Error(
        `openssl could not make the test certificate (${r.error?.message ?? r.stderr.trim().split('\n').pop()}): install it with \`apt-get install openssl\``,
      );
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.crt']);
  // The test CA (ssl_ca_file) and a client certificate it signed for the cert role (EC keys: fast to make).
  openssl(['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=poolcheck test CA', '-keyout', 'ca.key', '-out', 'ca.crt']);
  openssl(['req', ...ec, '-subj', `/CN=${CERT_USER}`, '-keyout', 'client.key', '-out', 'client.csr']);
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '1', '-days', '2', '-out', 'client.crt']);
  for (const f of ['server.key', 'ca.key', 'client.key']) chmodSync(path.join(dir, f), 0o600);
}

/** The client certificate and key (PEM) the test CA signed for CERT_USER, in a folder makeCertificate wrote. */
export const clientCertificate = (dir: string) => ({
  cert: readFileSync(path.join(dir, 'client.crt'), 'utf8'),
  key: readFileSync(path.join(dir, 'client.key'), 'utf8'),
});

export const certificateFiles = (dataDir: string) => ({ cert: path.join(dataDir, 'server.crt'), key: path.join(dataDir, 'server.key') });

export interface RunningCluster {
  readonly conn: ConnInfo;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  readonly version: string;
}

export async function startCluster(opts: {
  binDir: string;
  template: string;
  dataDir: string;
  logFile: string;
  password: string;
  name: string;
}): Promise<RunningCluster> {
  // Not execFileSync: the copy takes a second of kernel time, and targets start in parallel.
  await execFileAsync('cp', ['-a', opts.template, opts.dataDir]);
  const port = await freePort();
  const proc = spawnManaged({
    name: `${opts.name} postgres`,
    command: path.join(opts.binDir, 'postgres'),
    args: ['-D', opts.dataDir, '-p', String(port)],
    logFile: opts.logFile,
    stopSignal: 'SIGINT', // fast shutdown: active sessions are terminated, not waited for
  });
  const conn: ConnInfo = { host: '127.0.0.1', port, database: APP_DATABASE, user: APP_USER, password: opts.password };
  await waitUntilReady(`PostgreSQL for ${opts.name}`, conn, [proc]);
  const version = parsePostgresVersion(execFileSync(path.join(opts.binDir, 'postgres'), ['--version'], { encoding: 'utf8' }));
  return { conn, process: proc, version, dataDir: opts.dataDir };
}

/** `postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` -> `15.20 (Debian 15.20-0+deb12u1)`. */
export const parsePostgresVersion = (versionOutput: string) => versionOutput.trim().replace(/^postgres \(PostgreSQL\) /, '');
