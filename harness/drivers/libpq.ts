// libpq, PostgreSQL's C client library (Debian's libpq5), through pg-native and its `libpq`
// binding: https://github.com/brianc/node-pg-native. libpq never prepares a statement on its
// own: PQsendQuery is the simple protocol, PQsendQueryParams the unnamed statement, and only
// PQsendPrepare names one.
//
// What the binding (libpq 1.x on npm) does not expose, so this driver cannot offer it:
// PQbackendPID and PQparameterStatus (no backendPid / parameterStatus capability; psycopg,
// which calls both through its own libpq wrapper, covers them), a notice processor (no
// notices capability; libpq's default processor prints notices to poolcheck's stderr), and
// dropping the socket without PQfinish's Terminate (destroy() ends the connection politely).
// libpq keeps no SQLSTATE for a failed connection attempt (no loginErrorCode), and sends no
// StartupMessage parameters beyond its own keywords (no startupParams).
import { ConnectionLostError, LoginRefusedError, SERVER_FATAL_AT_LOGIN } from '../kernel/errors.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { packageVersion } from './package-version.ts';
import { withDeadline } from '../kernel/poll.ts';
import { clip } from './clip.ts';
import { NotificationBox, type Driver, type QueryOptions, type QueryResult, type Session, type SessionOptions } from './session.ts';

interface PqErrorFields { readonly sqlState?: string; readonly messagePrimary?: string; readonly severity?: string }
interface Pq {
  cancel(): true | string;
  resultErrorFields(): PqErrorFields | null | undefined;
}
interface NativeResult { readonly command?: string; readonly fields: ReadonlyArray<{ readonly name: string }>; readonly rows: unknown[] }
type Callback<T> = (err: Error | undefined | null, rows?: unknown, results?: T) => void;
interface NativeClient extends NodeJS.EventEmitter {
  readonly pq: Pq;
  connect(conninfo: string, cb: (err?: Error) => void): void;
  query(text: string, values: (string | null)[] | Callback<NativeResult | NativeResult[]>, cb?: Callback<NativeResult | NativeResult[]>): void;
  prepare(name: string, text: string, nParams: number, cb: Callback<unknown>): void;
  execute(name: string, params: (string | null)[], cb: Callback<NativeResult | NativeResult[]>): void;
  end(cb?: () => void): void;
}
type NativeClientClass = new (config: { types: { getTypeParser: () => (v: string) => string }; arrayMode: boolean }) => NativeClient;

// Loaded on first use: pg-native's binding is compiled at install time against libpq-dev, and
// a machine without it must still run every other driver (see prerequisites.ts).
let nativeClientClass: NativeClientClass | undefined;
const NativeClient = new Proxy(function () { /* constructed through the proxy */ } as unknown as NativeClientClass, {
  construct(_, args) {
    nativeClientClass ??= createRequire(import.meta.url)('pg-native') as NativeClientClass;
    return new nativeClientClass(...(args as [never]));
  },
});

/**
 * libpq says a connection went away only in words (fe-misc.c, fe-secure.c, fe-exec.c): the
 * server closed it, the socket failed, or there is no connection any more.
 */
const LOST_WORDS = /server closed the connection unexpectedly|SSL connection has been closed unexpectedly|could not (send|receive) data (to|from) server|no connection to the server/;

function failure(message: string, label: string): Error {
  const text = `${label}: ${message.trim()}`;
  return LOST_WORDS.test(message) ? new ConnectionLostError(text) : new Error(text);
}

/** A failed connection attempt: the server's FATAL is its answer at login; anything else is as `failure` says. */
function connectFailure(message: string, label: string): Error {
  return SERVER_FATAL_AT_LOGIN.test(message) ? new LoginRefusedError(`${label}: libpq connect: ${message.trim()}`) : failure(`libpq connect: ${message}`, label);
}

// Every value as the server's text, like the other drivers.
const textTypes = { getTypeParser: () => (value: string) => value };

/** A libpq conninfo value: single-quoted, with \ and ' escaped (libpq-connect "Keyword/Value"). */
const quote = (v: string | number) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

class LibpqSession implements Session {
  private readonly box = new NotificationBox();
  private readonly prepared = new Set<string>();
  /** Fails the operation in flight when libpq reports the connection broken between results. */
  private failInflight: ((err: Error) => void) | undefined;

  constructor(private readonly client: NativeClient, private readonly opts: SessionOptions) {
    client.on('notification', (n: { relname: string; extra: string; be_pid: number }) => this.box.push({ channel: n.relname, payload: n.extra, pid: n.be_pid }));
    // pg-native reports a read failure as an 'error' event and never calls the query back.
    client.on('error', (err: Error) => this.failInflight?.(failure(err.message, opts.label)));
  }

  private run(start: (cb: Callback<NativeResult | NativeResult[]>) => void, what: string, timeoutMs = this.opts.timeoutMs): Promise<QueryResult> {
    const work = new Promise<QueryResult>((resolve, reject) => {
      this.failInflight = reject;
      start((err, _rows, results) => {
        this.failInflight = undefined;
        if (err) {
          // The failed result is still libpq's last one: its fields carry the SQLSTATE.
          const fields = this.client.pq.resultErrorFields();
          if (fields?.sqlState) resolve({ rows: [], columns: [], error: { code: fields.sqlState, message: fields.messagePrimary ?? err.message.trim(), ...(fields.severity ? { severity: fields.severity } : {}) } });
          else reject(failure(err.message, this.opts.label));
          return;
        }
        // Several statements give several results; like raw, the last one with columns counts.
        const list = results === undefined ? [] : Array.isArray(results) ? results : [results];
        const withColumns = [...list].reverse().find((r) => r.fields.length > 0);
        const last = list[list.length - 1];
        resolve({
          rows: (withColumns?.rows ?? []) as (string | null)[][],
          columns: (withColumns?.fields ?? []).map((f) => f.name),
          command: last?.command,
        });
      });
    });
    return withDeadline(work, timeoutMs, `${this.opts.label}: ${what}`);
  }

  query(sql: string, params?: readonly (string | null)[], opts?: QueryOptions): Promise<QueryResult> {
    return this.run((cb) => (params ? this.client.query(sql, [...params], cb) : this.client.query(sql, cb)), `reply to ${clip(sql)}`, opts?.timeoutMs);
  }

  async executeNamed(name: string, sql: string, params: readonly (string | null)[]): Promise<QueryResult> {
    if (!this.prepared.has(name)) {
      const r = await this.run((cb) => this.client.prepare(name, sql, params.length, cb as Callback<unknown>), `PQsendPrepare ${name}`);
      // As raw does: a name that already exists on the server counts as prepared here.
      if (!r.error || r.error.code === '42P05') this.prepared.add(name);
      if (r.error) return r;
    }
    return this.run((cb) => this.client.execute(name, [...params], cb), `PQsendQueryPrepared ${name}`);
  }

  async cancel(): Promise<void> {
    // PQcancel: a separate connection carrying this connection's BackendKeyData. It blocks
    // the event loop for that round trip, which is short on loopback.
    const r = this.client.pq.cancel();
    if (r !== true) throw new Error(`${this.opts.label}: PQcancel failed: ${r}`);
  }

  backendPid(): number | undefined { return undefined; }
  parameterStatus(): string | undefined { return undefined; }
  waitNotification(channel: string, timeoutMs: number) { return this.box.take(channel, timeoutMs); }

  async close(): Promise<void> {
    // PQfinish sends Terminate and closes the socket; pg-native would never call back a query
    // still running, so it fails here instead of at its deadline.
    this.failInflight?.(new ConnectionLostError(`${this.opts.label}: the connection was closed while the query ran`));
    await new Promise<void>((resolve) => this.client.end(resolve));
  }

  destroy(): void {
    this.failInflight?.(new ConnectionLostError(`${this.opts.label}: the connection was closed while the query ran`));
    this.client.end();
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
      libpqVersion = /PostgreSQL (\S+)/.exec(execFileSync('pg_config', ['--version'], { encoding: 'utf8', timeout: TIMEOUT_MS.versionProbe }))?.[1] ?? 'unknown';
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
  get version() { return installedLibpq(); },
  capabilities: new Set(['namedPrepare', 'cancel', 'notifications', 'notificationPid', 'tls', 'startupApplicationName', 'anyClientEncoding']),
  notes: 'PQsendQuery without params (simple protocol), PQsendQueryParams with them (unnamed statement), PQsendPrepare/PQsendQueryPrepared for named statements; never prepares by itself',
  async connect(opts) {
    const c = opts.conn;
    const conninfo = [
      `host=${quote(c.host)}`, `port=${quote(c.port)}`, `user=${quote(c.user)}`, `password=${quote(c.password)}`, `dbname=${quote(c.database)}`,
      `connect_timeout=${quote(Math.max(2, Math.ceil(opts.timeoutMs / 1000)))}`,
      ...(opts.applicationName ? [`application_name=${quote(opts.applicationName)}`] : []),
      // tls: encrypted, certificate not verified. Otherwise plain, as for poolcheck's other
      // drivers (libpq's own default, prefer, would encrypt whenever the server offers TLS).
      `sslmode=${opts.tls ? "'require'" : "'disable'"}`,
    ].join(' ');
    const client = new NativeClient({ types: textTypes, arrayMode: true });
    await withDeadline(new Promise<void>((resolve, reject) => client.connect(conninfo, (err) => (err ? reject(connectFailure(err.message, opts.label)) : resolve()))),
      opts.timeoutMs, `${opts.label}: libpq connect to ${c.host}:${c.port}`);
    return new LibpqSession(client, opts);
  },
};
