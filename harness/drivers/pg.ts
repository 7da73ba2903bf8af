// node-postgres (pg): https://node-postgres.com/apis/client
import { ConnectionLostError, isSqlState, ServerError } from '../kernel/errors.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import pg from 'pg';
import { packageVersion } from './package-version.ts';
import { withDeadline } from '../kernel/poll.ts';
import { clip } from './clip.ts';
import { NotificationBox, type Driver, type QueryOptions, type QueryResult, type Session, type SessionOptions } from './session.ts';

/**
 * pg says a connection went away only in words: "Connection terminated unexpectedly" (the
 * server closed it during a query), "Connection terminated" (closed while idle), or "... is not
 * queryable" (a client whose connection failed before); or as a socket error code.
 */
const LOST_WORDS = /^Connection terminated|is not queryable/;
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED']);

function lostOr(err: unknown, label: string): unknown {
  const e = err as { code?: string; message?: string };
  if (LOST_CODES.has(e.code ?? '') || LOST_WORDS.test(e.message ?? '')) return new ConnectionLostError(`${label}: ${e.message}`);
  return err;
}

// Every value as the server's text, like the other drivers (no int/date parsing).
const textTypes = { getTypeParser: () => (value: string) => value };

class PgSession implements Session {
  private readonly params = new Map<string, string>();
  private readonly box = new NotificationBox();
  private readonly notices: string[] = [];

  constructor(
    private readonly client: pg.Client,
    private readonly opts: SessionOptions,
  ) {
    // pg keeps no ParameterStatus table; these are the messages its own connection received.
    (client as unknown as { connection: NodeJS.EventEmitter }).connection.on(
      'parameterStatus',
      (m: { parameterName: string; parameterValue: string }) => {
        this.params.set(m.parameterName, m.parameterValue);
      },
    );
    client.on('notification', (n) => this.box.push({ channel: n.channel, payload: n.payload ?? '', pid: n.processId }));
    client.on('notice', (n) => this.notices.push(String((n as { code?: string }).code)));
    client.on('error', () => {
      /* surfaced by the query that was running */
    });
  }

  private async run(config: pg.QueryConfig, timeoutMs = this.opts.timeoutMs): Promise<QueryResult> {
    try {
      // Several statements in one query string give one result each; the last one counts.
      const query: pg.QueryArrayConfig = { ...config, rowMode: 'array', types: textTypes };
      // pg's typings know one result per call; a multi-statement string gives a list.
      const r = await withDeadline(
        this.client.query(query) as Promise<pg.QueryArrayResult | pg.QueryArrayResult[]>,
        timeoutMs,
        `${this.opts.label}: reply to ${clip(config.text)}`,
      );
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { rows: last.rows as (string | null)[][], columns: last.fields.map((f) => f.name), command: last.command ?? undefined };
    } catch (err) {
      const e = err as { code?: string; message: string; severity?: string };
      if (isSqlState(e.code))
        return { rows: [], columns: [], error: { code: e.code, message: e.message, ...(e.severity ? { severity: e.severity } : {}) } };
      throw lostOr(err, this.opts.label);
    }
  }

  query(sql: string, params?: readonly (string | null)[], opts?: QueryOptions) {
    return this.run({ text: sql, values: params ? [...params] : undefined }, opts?.timeoutMs);
  }
  executeNamed(name: string, sql: string, params: readonly (string | null)[]) {
    return this.run({ name, text: sql, values: [...params] });
  }

  async cancel(): Promise<void> {
    // pg's own cancel: a second Client opens a connection and sends CancelRequest with the
    // first one's processID and secretKey.
    const canceller = new pg.Client(this.clientConfig()) as unknown as { cancel(c: unknown, q: unknown): void; connection: NodeJS.EventEmitter };
    const target = this.client as unknown as { _getActiveQuery(): unknown };
    // pg's cancel() compares against client.activeQuery, a getter that warns it is deprecated;
    // an own property with the same meaning keeps the warning out of poolcheck's output.
    if (!Object.prototype.hasOwnProperty.call(target, 'activeQuery')) {
      Object.defineProperty(target, 'activeQuery', { get: () => target._getActiveQuery() });
    }
    const done = new Promise<void>((resolve) => {
      canceller.connection.once('end', () => resolve());
      canceller.connection.once('error', () => resolve());
    });
    canceller.cancel(this.client, target._getActiveQuery());
    await withDeadline(done, this.opts.timeoutMs, `${this.opts.label}: the CancelRequest connection to close`);
  }

  private clientConfig(): pg.ClientConfig {
    const c = this.opts.conn;
    return { host: c.host, port: c.port, user: c.user, password: c.password, database: c.database };
  }

  takeNotices(): string[] {
    return this.notices.splice(0);
  }
  backendPid() {
    return (this.client as unknown as { processID: number | null }).processID ?? undefined;
  }
  parameterStatus(name: string) {
    return this.params.get(name);
  }
  waitNotification(channel: string, timeoutMs: number) {
    return this.box.take(channel, timeoutMs);
  }
  async close() {
    await withDeadline(this.client.end(), TIMEOUT_MS.driverEnd, `${this.opts.label}: pg client to end`).catch(() => this.destroy());
  }
  destroy() {
    (this.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}

const version = packageVersion('pg');

export const pgDriver: Driver = {
  id: 'pg',
  loginMs: 85,
  library: 'pg (node-postgres)',
  version,
  capabilities: new Set([
    'namedPrepare',
    'cancel',
    'backendPid',
    'parameterStatus',
    'notifications',
    'notificationPid',
    'notices',
    'tls',
    'startupApplicationName',
    'anyClientEncoding',
    'loginErrorCode',
  ]),
  notes: 'client.query: simple protocol without params, unnamed extended protocol with them; { name } for named statements',
  async connect(opts) {
    const c = opts.conn;
    const client = new pg.Client({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      database: c.database,
      application_name: opts.applicationName,
      connectionTimeoutMillis: opts.timeoutMs,
      // The test servers' certificates are self-signed: encrypted, not verified (sslmode=require).
      ssl: opts.tls ? { rejectUnauthorized: false } : undefined,
    });
    const session = new PgSession(client, opts);
    try {
      await withDeadline(client.connect(), opts.timeoutMs, `${opts.label}: pg connect to ${c.host}:${c.port}`);
    } catch (err) {
      const e = err as { code?: string; message: string };
      if (isSqlState(e.code)) throw new ServerError(e.code, `${opts.label}: ${e.message}`);
      throw lostOr(err, opts.label);
    }
    return session;
  },
};
