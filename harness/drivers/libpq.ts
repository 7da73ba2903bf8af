// libpq, PostgreSQL's C client library (Debian's libpq5), through pg-native and its `libpq`
// binding: https://github.com/brianc/node-pg-native. libpq never prepares a statement on its
// own: PQsendQuery is the simple protocol, PQsendQueryParams the unnamed statement, and only
// PQsendPrepare names one.
//
// pg-native runs in a helper process of its own (shims/node/libpq_helper.mjs, the line protocol
// of shims/README.md), not in poolcheck's: the binding installs no notice processor, so libpq's
// default one prints every server NOTICE and WARNING to its process's stderr, which for the
// helper is a pipe poolcheck keeps the tail of (for error messages) instead of its terminal.
// The helper reports pg-native's own words and error fields; they are mapped here.
//
// What the binding (libpq 1.x on npm) does not expose, so this driver cannot offer it:
// PQbackendPID and PQparameterStatus (no backendPid / parameterStatus capability; psycopg,
// which calls both through its own libpq wrapper, covers them), a notice processor (no
// notices capability), and dropping the socket without PQfinish's Terminate (destroy() ends
// the connection politely). libpq keeps no SQLSTATE for a failed connection attempt (no
// loginErrorCode), and sends no StartupMessage parameters beyond its own keywords (no
// startupParams).
import {
  ConnectionLostError,
  DeadlineError,
  InfrastructureError,
  LIBPQ_PROTOCOL_VIOLATION,
  LoginRefusedError,
  ProtocolViolationError,
  SERVER_FATAL_AT_LOGIN,
} from '../kernel/errors.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SharedHelper } from './helper-driver.ts';
import { HelperDeadError, HelperOpError, type HelperProcess } from './helper-process.ts';
import { packageVersion } from './package-version.ts';
import { clip } from './clip.ts';
import { SHIMS_DIR } from './shim-path.ts';
import type { DbError, Driver, Notification, QueryOptions, QueryResult, Session, SessionOptions } from './session.ts';

// The helper is given pg-native's path as this package resolves it. pg-native's binding is
// compiled at install time against libpq-dev, and a machine without it must still run every
// other driver (see prerequisites.ts): nothing here loads it.
//
// The binding's connect is a blocking PQconnectdb on libuv's thread pool, 4 threads unless told
// otherwise: four logins a pooler holds back (a pool exhausted, pgpool-II's children all busy)
// would hold up every other lane's libpq login until one of them ends.
const helper = new SharedHelper(
  () => ({
    name: 'libpq helper (Node with pg-native)',
    command: process.execPath,
    args: [path.join(SHIMS_DIR, 'node', 'libpq_helper.mjs'), createRequire(import.meta.url).resolve('pg-native')],
    env: { ...process.env, UV_THREADPOOL_SIZE: '64' },
  }),
  TIMEOUT_MS.helperStart,
);

/**
 * libpq says a connection went away only in words (fe-misc.c, fe-secure.c, fe-exec.c): the
 * server closed it, the socket failed, or there is no connection any more.
 */
const LOST_WORDS =
  /server closed the connection unexpectedly|SSL connection has been closed unexpectedly|could not (send|receive) data (to|from) server|no connection to the server/;

function failure(message: string, label: string): Error {
  const text = `${label}: ${message.trim()}`;
  if (LIBPQ_PROTOCOL_VIOLATION.test(message)) return new ProtocolViolationError(text);
  return LOST_WORDS.test(message) ? new ConnectionLostError(text) : new Error(text);
}

/** A failed connection attempt: the server's FATAL is its answer at login; anything else is as `failure` says. */
function connectFailure(message: string, label: string): Error {
  return SERVER_FATAL_AT_LOGIN.test(message)
    ? new LoginRefusedError(`${label}: libpq connect: ${message.trim()}`)
    : failure(`libpq connect: ${message}`, label);
}

/** A libpq conninfo value: single-quoted, with \ and ' escaped (libpq-connect "Keyword/Value"). */
const quote = (v: string | number) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** How a failure the helper reported (ok: false) becomes an error here, given pg-native's words. */
type MapFailure = (message: string, label: string) => Error;

class LibpqSession implements Session {
  private readonly prepared = new Set<string>();

  constructor(
    private readonly proc: HelperProcess,
    private readonly id: string,
    private readonly opts: SessionOptions,
  ) {}

  /**
   * One request about this session. The helper answers ok: false with pg-native's words, or
   * with `lost` when the session was closed under the operation; a helper that died is
   * poolcheck's trouble, not the server's; a missed deadline stays a DeadlineError.
   */
  async call(
    op: string,
    body: Record<string, unknown>,
    timeoutMs: number,
    what: string,
    mapFailure: MapFailure = failure,
  ): Promise<Record<string, unknown>> {
    try {
      return (await this.proc.request(op, { session: this.id, ...body }, timeoutMs, `${this.opts.label}: ${what}`)).result;
    } catch (err) {
      if (err instanceof HelperDeadError) throw new InfrastructureError(`${this.opts.label}: ${err.message}`);
      if (err instanceof HelperOpError)
        throw err.lost ? new ConnectionLostError(`${this.opts.label}: ${err.message}`) : mapFailure(err.message, this.opts.label);
      throw err;
    }
  }

  private async run(op: string, body: Record<string, unknown>, what: string, timeoutMs = this.opts.timeoutMs): Promise<QueryResult> {
    const r = await this.call(op, body, timeoutMs, what);
    if (r.error) return { rows: [], columns: [], error: r.error as DbError };
    return {
      rows: (r.rows ?? []) as (string | null)[][],
      columns: (r.columns ?? []) as string[],
      command: typeof r.command === 'string' ? r.command : undefined,
    };
  }

  query(sql: string, params?: readonly (string | null)[], opts?: QueryOptions): Promise<QueryResult> {
    return this.run('query', { sql, params: params ? [...params] : null }, `reply to ${clip(sql)}`, opts?.timeoutMs);
  }

  async executeNamed(name: string, sql: string, params: readonly (string | null)[]): Promise<QueryResult> {
    if (!this.prepared.has(name)) {
      const r = await this.run('prepare', { name, sql, nParams: params.length }, `PQsendPrepare ${name}`);
      // As raw does: a name that already exists on the server counts as prepared here.
      if (!r.error || r.error.code === '42P05') this.prepared.add(name);
      if (r.error) return r;
    }
    return this.run('execute', { name, params: [...params] }, `PQsendQueryPrepared ${name}`);
  }

  async cancel(): Promise<void> {
    // PQcancel, in the helper: a separate connection carrying this connection's BackendKeyData.
    await this.call('cancel', {}, this.opts.timeoutMs, 'PQcancel', (message, label) => new Error(`${label}: ${message}`));
  }

  backendPid(): number | undefined {
    return undefined;
  }
  parameterStatus(): string | undefined {
    return undefined;
  }

  async waitNotification(channel: string, timeoutMs: number): Promise<Notification | undefined> {
    const r = await this.call('waitNotification', { channel, timeoutMs }, timeoutMs + TIMEOUT_MS.helperSlack, `a notification on ${channel}`);
    return (r.notification as Notification | null) ?? undefined;
  }

  async close(): Promise<void> {
    // PQfinish sends Terminate and closes the socket; a query still running fails with
    // ConnectionLostError (pg-native would never call it back).
    try {
      await this.call('close', {}, TIMEOUT_MS.driverEnd, 'PQfinish');
    } catch (err) {
      if (err instanceof InfrastructureError) return; // the helper died: nothing left to close
      throw err;
    }
  }

  destroy(): void {
    void this.call('destroy', {}, TIMEOUT_MS.driverEnd, 'PQfinish').catch(() => undefined);
  }
}

let libpqVersion: string | undefined;
/**
 * The binding does not expose PQlibVersion; pg_config (libpq-dev, which the binding was built
 * against) names the libpq release. Read once, when the report asks.
 */
function installedLibpq(): string {
  if (libpqVersion === undefined) {
    try {
      libpqVersion =
        /PostgreSQL (\S+)/.exec(execFileSync('pg_config', ['--version'], { encoding: 'utf8', timeout: TIMEOUT_MS.versionProbe }))?.[1] ?? 'unknown';
    } catch {
      libpqVersion = 'unknown';
    }
  }
  return libpqVersion;
}

export const libpqDriver: Driver = {
  id: 'libpq',
  loginMs: 55,
  library: `libpq (through pg-native ${packageVersion('pg-native')} and the libpq binding ${packageVersion('libpq')})`,
  get version() {
    return installedLibpq();
  },
  capabilities: new Set(['namedPrepare', 'cancel', 'notifications', 'notificationPid', 'tls', 'startupApplicationName', 'anyClientEncoding']),
  notes:
    'PQsendQuery without params (simple protocol), PQsendQueryParams with them (unnamed statement), PQsendPrepare/PQsendQueryPrepared for named statements; never prepares by itself',
  async warmUp() {
    await helper.get().catch(() => undefined);
  },
  async connect(opts) {
    const c = opts.conn;
    const conninfo = [
      `host=${quote(c.host)}`,
      `port=${quote(c.port)}`,
      `user=${quote(c.user)}`,
      `password=${quote(c.password)}`,
      `dbname=${quote(c.database)}`,
      `connect_timeout=${quote(Math.max(2, Math.ceil(opts.timeoutMs / 1000)))}`,
      ...(opts.applicationName ? [`application_name=${quote(opts.applicationName)}`] : []),
      // tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
      // drivers (libpq's own default, prefer, would encrypt whenever the server offers TLS).
      `sslmode=${opts.tls ? "'require'" : "'disable'"}`,
    ].join(' ');
    const s = new LibpqSession(await helper.get(), helper.nextSessionId('libpq'), opts);
    try {
      await s.call('connect', { conninfo }, opts.timeoutMs, `libpq connect to ${c.host}:${c.port}`, connectFailure);
    } catch (err) {
      // A connect that missed its deadline may still complete in the helper, where nobody
      // would close it: the helper drops a session it was told to destroy, even before it exists.
      if (err instanceof DeadlineError) s.destroy();
      throw err;
    }
    return s;
  },
};
