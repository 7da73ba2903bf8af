// postgres.js: https://github.com/porsager/postgres
// One Session = one postgres() instance with max: 1, so every step uses the same connection.
// Two variants. `postgres.js` sends a single statement the way a tagged template does by
// default (prepare: true): extended protocol with a named statement, cached per connection
// under a random name, even without parameters. `postgres.js:pooler-safe` sends it the way
// prepare: false does, which the postgres.js README gives for transaction poolers such as
// pgbouncer (https://github.com/porsager/postgres#prepared-statements): simple protocol
// without parameters, the unnamed statement with them. Several statements in one step go
// through the simple protocol in both (a tagged template cannot hold them; .simple() can).
import { ConnectionLostError, errorText, isSqlState, ServerError } from '../kernel/errors.ts';
import { collectingStrays, currentStrays, StrayErrors } from '../kernel/strays.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import net from 'node:net';
import postgres from 'postgres';
import { packageVersion } from './package-version.ts';
import { statementCount } from './sql-lexer.ts';
import { poll, withDeadline } from '../kernel/poll.ts';
import { clip } from './clip.ts';
import { NotificationBox, type Driver, type QueryOptions, type QueryResult, type Session, type SessionOptions } from './session.ts';

type Sql = ReturnType<typeof postgres>;

/** postgres.js's codes for a connection that went away (its errors.js), and the socket's own. */
const LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE']);
type Pending = ReturnType<Sql['unsafe']>;

/**
 * The sockets of one postgres() instance, made here (its `socket` option). postgres.js 3.4
 * reconnects a connection whose socket closed while it was still setting up (connection.js
 * `closed()` with `initial`), and that reconnect clears the `terminated` flag end() had set: a
 * login given up on (a pooler that closed it) logs in again behind poolcheck's back and holds a
 * client of the pooler for the rest of the run. Once shut, no socket is made.
 */
class OwnSockets {
  private readonly made: net.Socket[] = [];
  private shut = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  readonly make = (): net.Socket => {
    if (this.shut) throw new Error('postgres.js tried to connect again after the session was closed');
    // A socket still connecting takes writes (Node queues them); postgres.js writes the startup at once.
    const s = net.connect(this.port, this.host);
    // postgres.js names the peer in its errors from these, which it sets only on sockets of its own.
    Object.assign(s, { host: this.host, port: this.port });
    this.made.push(s);
    return s;
  };

  // Whether a socket is open is read off it: postgres.js drops every listener of a socket it wraps in TLS.
  private open(): net.Socket[] {
    return this.made.filter((s) => !s.destroyed);
  }

  /**
   * Shut after an orderly end. A socket still open is a CancelRequest's, which the server closes
   * once it has passed the cancel on: it is given that long, not cut (pgbouncer 1.18 exits on
   * an assertion when a cancel client leaves before its cancel was sent), then destroyed.
   */
  async settle(): Promise<void> {
    this.shut = true;
    const left = () => `${this.open().length} socket(s) open`;
    await poll({ what: "postgres.js's sockets closed by the server", timeoutMs: TIMEOUT_MS.eventually, seen: left }, () =>
      this.open().length === 0 ? true : undefined,
    ).catch(() => this.destroy());
  }

  /** Shut and drop every socket at once, as a crashed client does. */
  destroy(): void {
    this.shut = true;
    for (const s of this.open()) s.destroy();
  }
}

class PostgresJsSession implements Session {
  private inflight: Pending | undefined;
  private pid: number | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly box: NotificationBox,
    private readonly notices: string[],
    private readonly opts: SessionOptions,
    private readonly prepare: boolean,
    private readonly sockets: OwnSockets,
  ) {}

  takeNotices(): string[] {
    return this.notices.splice(0);
  }

  async query(text: string, params?: readonly (string | null)[], opts?: QueryOptions): Promise<QueryResult> {
    const options = this.prepare && statementCount(text) <= 1 ? { prepare: true, simple: false } : {};
    // .raw() returns every value as the server sent it (text), like the other drivers.
    const pending: Pending = this.sql.unsafe(text, params ? [...params] : [], options);
    this.inflight = pending;
    try {
      const r = await withDeadline(
        pending.raw() as unknown as Promise<
          Array<Array<Buffer | null>> & { state?: { pid: number }; columns?: Array<{ name: string }>; command?: string }
        >,
        opts?.timeoutMs ?? this.opts.timeoutMs,
        `${this.opts.label}: reply to ${clip(text)}`,
      );
      if (r.state?.pid) this.pid = r.state.pid;
      return {
        rows: r.map((row) => row.map((v) => (v === null ? null : v.toString('utf8')))),
        columns: (r.columns ?? []).map((c) => c.name),
        command: r.command,
      };
    } catch (err) {
      const e = err as { code?: string; message: string; severity?: string };
      if (isSqlState(e.code))
        return { rows: [], columns: [], error: { code: e.code, message: e.message, ...(e.severity ? { severity: e.severity } : {}) } };
      if (LOST.has(e.code ?? '')) throw new ConnectionLostError(`${this.opts.label}: ${e.message}`);
      throw err;
    } finally {
      this.inflight = undefined;
    }
  }

  executeNamed(): Promise<QueryResult> {
    throw new Error('postgres.js has no API for user-named prepared statements');
  }

  async cancel(): Promise<void> {
    const inflight = this.inflight;
    if (!inflight) throw new Error(`${this.opts.label}: no query in flight to cancel`);
    // postgres.js sends the CancelRequest on a connection of its own and drops the promise
    // that follows it (Query.cancel() returns null): how that connection ends is nobody's
    // answer. A pooler may reset it rather than close it; that is kept out of the scenario's
    // stray errors and noted in the transcript.
    const own = new StrayErrors();
    await collectingStrays(own, async () => {
      inflight.cancel();
    });
    await new Promise((r) => setImmediate(r));
    const late = own.first();
    if (late) this.opts.transcript.note(this.opts.label, `postgres.js's cancel connection: ${late}`);
  }

  backendPid() {
    return this.pid;
  }
  parameterStatus(name: string) {
    return (this.sql.parameters as Record<string, string>)[name];
  }
  waitNotification(channel: string, timeoutMs: number) {
    return this.box.take(channel, timeoutMs);
  }
  // end() waits for queries in flight, then terminates after the timeout (seconds).
  // A connection the other end already closed fails end()'s Terminate write
  // (CONNECTION_DESTROYED) outside any promise: that is the close's own business, noted.
  async close() {
    const own = new StrayErrors();
    await collectingStrays(own, () =>
      withDeadline(this.sql.end({ timeout: 0.5 }), TIMEOUT_MS.driverEnd, `${this.opts.label}: postgres.js end`),
    ).finally(() => this.sockets.settle());
    const late = own.first();
    if (late) this.opts.transcript.note(this.opts.label, `postgres.js's close: ${late}`);
  }
  // The sockets go first: end() writes Terminate on a socket still open, which a crashed client never sends.
  destroy() {
    this.sockets.destroy();
    void this.sql.end({ timeout: 0 }).catch(() => undefined);
  }
}

const version = packageVersion('postgres');

function postgresJs(prepare: boolean): Driver {
  return {
    id: prepare ? 'postgres.js' : 'postgres.js:pooler-safe',
    loginMs: prepare ? 90 : 75,
    library: 'postgres (postgres.js)',
    version,
    capabilities: new Set([
      'cancel',
      'backendPid',
      'parameterStatus',
      'notifications',
      'notices',
      'tls',
      'startupParams',
      'startupApplicationName',
      'anyClientEncoding',
      'loginErrorCode',
      ...(prepare ? ['driverPrepares' as const] : []),
    ]),
    poolerSafe: prepare ? undefined : { setting: 'prepare: false', docs: 'https://github.com/porsager/postgres#prepared-statements' },
    notes: prepare
      ? 'sql.unsafe(text, params, { prepare: true, simple: false }), as a tagged template: a named statement per distinct query; connects at the first query'
      : 'sql.unsafe() with prepare: false: simple protocol without params, unnamed extended protocol with them; connects at the first query',
    async connect(opts) {
      const c = opts.conn;
      const box = new NotificationBox();
      const notices: string[] = [];
      const sockets = new OwnSockets(c.host, c.port);
      const sql = postgres({
        host: c.host,
        port: c.port,
        user: c.user,
        password: c.password,
        database: c.database,
        max: 1,
        idle_timeout: 0,
        max_lifetime: null,
        connect_timeout: Math.ceil(opts.timeoutMs / 1000),
        prepare,
        connection: { ...(opts.applicationName ? { application_name: opts.applicationName } : {}), ...opts.startupParams },
        onnotice: (n) => notices.push(String(n.code)),
        // The test servers' certificates are self-signed: encrypted, not verified (sslmode=require).
        ssl: opts.tls ? { rejectUnauthorized: false } : false,
        // Not in postgres.js's typings: the connection's hook for NotificationResponse (channel, payload),
        // and the socket factory (OwnSockets).
        ...({ onnotify: (channel: string, payload: string) => box.push({ channel, payload }), socket: sockets.make } as object),
      });
      // postgres.js logs in at its first query; a session here is logged in, as with every other
      // driver (a connect step, a refused login), so the connection is taken and given back now.
      // A server that ends the login makes postgres.js fail a write outside any promise
      // (CONNECTION_DESTROYED): that is the login's answer, a lost connection.
      // The socket keeps the login's context: once it is in, its strays go on to the scenario's.
      // A login given up on is ended here, and how its socket ends is nobody's answer.
      let lost: ((err: unknown) => void) | undefined;
      let givenUp = false;
      const outer = currentStrays();
      const strays = new (class extends StrayErrors {
        override add(err: unknown) {
          if (lost) lost(err);
          else if (!givenUp) outer?.add(err);
        }
      })();
      const ended = new Promise<never>((_, reject) => {
        lost = (err) => reject(new ConnectionLostError(`${opts.label}: ${errorText(err)}`));
      });
      try {
        const reserved = await collectingStrays(strays, () =>
          withDeadline(Promise.race([sql.reserve(), ended]), opts.timeoutMs, `${opts.label}: postgres.js connect to ${c.host}:${c.port}`),
        ).finally(() => {
          lost = undefined;
        });
        reserved.release();
      } catch (err) {
        givenUp = true;
        if (err instanceof ConnectionLostError) {
          void sql
            .end({ timeout: 0 })
            .catch(() => undefined)
            .finally(() => sockets.settle());
          throw err;
        }
        await sql.end({ timeout: 0 }).catch(() => undefined);
        await sockets.settle();
        const e = err as { code?: string; message: string };
        if (isSqlState(e.code)) throw new ServerError(e.code, `${opts.label}: ${e.message}`);
        if (LOST.has(e.code ?? '')) throw new ConnectionLostError(`${opts.label}: ${e.message}`);
        throw err;
      }
      return new PostgresJsSession(sql, box, notices, opts, prepare, sockets);
    },
  };
}

export const postgresJsDriver = postgresJs(true);
export const postgresJsPoolerSafeDriver = postgresJs(false);
