// A Session whose driver lives in a helper process (shims/README.md). The Session interface
// reads the backend pid and ParameterStatus values synchronously, so every reply about a
// session carries the driver's current view of both, and this side keeps the latest.
import {
  ConnectionLostError,
  InfrastructureError,
  isSqlState,
  LIBPQ_PROTOCOL_VIOLATION,
  LoginRefusedError,
  ProtocolViolationError,
  SERVER_FATAL_AT_LOGIN,
  ServerError,
} from '../kernel/errors.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { HelperDeadError, HelperOpError, type HelperProcess, type HelperReply } from './helper-process.ts';
import { clip } from './clip.ts';
import type { Notification, QueryOptions, QueryResult, Session, SessionOptions } from './session.ts';
import { inlineParams, statementCount, toJdbc, toPdoNamed, toPyformat } from './sql-lexer.ts';

/**
 * How the driver spells placeholders: PostgreSQL's $n, JDBC's ?, psycopg's %(name)s, PDO's
 * :name; or 'inline', for a driver call that takes no parameters (the values go into the SQL
 * as literals, and the helper gets none).
 */
export type PlaceholderStyle = 'native' | 'jdbc' | 'pyformat' | 'pdo' | 'inline';

export interface HelperSessionConfig {
  readonly placeholders: PlaceholderStyle;
  /** Driver options for this variant, passed to the helper's connect as they are. */
  readonly settings: Readonly<Record<string, unknown>>;
}

// The parameters a server reports in ParameterStatus (GUC_REPORT in PostgreSQL 12-18). Drivers
// that answer one name at a time (libpq's PQparameterStatus, asyncpg's settings) are asked for
// these after every operation. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
export const REPORTED_PARAMETERS = [
  'application_name',
  'client_encoding',
  'DateStyle',
  'default_transaction_read_only',
  'in_hot_standby',
  'integer_datetimes',
  'IntervalStyle',
  'is_superuser',
  'scram_iterations',
  'search_path',
  'server_encoding',
  'server_version',
  'session_authorization',
  'standard_conforming_strings',
  'TimeZone',
] as const;

/** A peer's reset, in the words of Go, Ruby, Java and the C library. */
const CANCEL_RESET = /connection reset by peer|ECONNRESET/i;

export class HelperSession implements Session {
  private pid: number | undefined;
  private params = new Map<string, string>();
  private readonly notices: string[] = [];

  private constructor(
    private readonly helper: HelperProcess,
    private readonly id: string,
    private readonly opts: SessionOptions,
    private readonly config: HelperSessionConfig,
  ) {}

  static async connect(helper: HelperProcess, id: string, opts: SessionOptions, config: HelperSessionConfig): Promise<HelperSession> {
    const s = new HelperSession(helper, id, opts, config);
    const c = opts.conn;
    try {
      await s.call(
        'connect',
        {
          conn: { host: c.host, port: c.port, user: c.user, password: c.password, database: c.database },
          applicationName: opts.applicationName ?? null,
          tls: opts.tls ?? false,
          startupParams: opts.startupParams ?? null,
          // The library's own connect timeout comes after poolcheck's deadline, so a login that
          // gets no answer is poolcheck's no-answer for every driver, not each library's own error.
          timeoutMs: opts.timeoutMs + TIMEOUT_MS.helperSlack,
          settings: config.settings,
          reportParams: REPORTED_PARAMETERS,
        },
        opts.timeoutMs,
        `connect to ${c.host}:${c.port}`,
      );
    } catch (err) {
      // psycopg keeps no SQLSTATE of a failed connection attempt, only the server's words.
      if (err instanceof Error && !(err instanceof ServerError) && !(err instanceof InfrastructureError) && SERVER_FATAL_AT_LOGIN.test(err.message))
        throw new LoginRefusedError(err.message);
      // A connect that missed its deadline may still complete in the helper, where nobody
      // would ever close it (and a lane waits for its database to have no clients left): the
      // helper drops a session whose id it was told to destroy, even before it exists.
      s.destroy();
      throw err;
    }
    return s;
  }

  private async call(op: string, body: Record<string, unknown>, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
    let reply: HelperReply;
    try {
      reply = await this.helper.request(op, { session: this.id, ...body }, timeoutMs, `${this.opts.label}: ${what}`);
    } catch (err) {
      if (err instanceof HelperDeadError) throw new InfrastructureError(`${this.opts.label}: ${err.message}`);
      if (!(err instanceof HelperOpError)) throw err;
      if (LIBPQ_PROTOCOL_VIOLATION.test(err.message)) throw new ProtocolViolationError(`${this.opts.label}: ${err.message}`);
      if (err.lost)
        throw new ConnectionLostError(
          `${this.opts.label}: connection lost (the other end closed the connection or the socket failed): ${err.message}`,
          isSqlState(err.code) ? err.code : undefined,
        );
      // A SQLSTATE on a failure (a refused login) is the server's answer.
      if (isSqlState(err.code)) throw new ServerError(err.code, `${this.opts.label}: ${err.message}`);
      throw new Error(`${this.opts.label}: ${err.message}`);
    }
    if (reply.state) {
      if (reply.state.pid !== undefined) this.pid = reply.state.pid ?? undefined;
      if (reply.state.params) this.params = new Map(Object.entries(reply.state.params));
      if (reply.state.notices) this.notices.push(...reply.state.notices);
    }
    return reply.result;
  }

  async query(sql: string, params?: readonly (string | null)[], opts?: QueryOptions): Promise<QueryResult> {
    let text = sql;
    let values: (string | null)[] | null = params ? [...params] : null;
    if (values && this.config.placeholders === 'jdbc') ({ sql: text, params: values } = toJdbc(sql, values));
    if (values && this.config.placeholders === 'pyformat') text = toPyformat(sql);
    if (values && this.config.placeholders === 'pdo') text = toPdoNamed(sql);
    if (values && this.config.placeholders === 'inline') [text, values] = [inlineParams(sql, values), null];
    const r = await this.call(
      'query',
      { sql: text, params: values, multi: statementCount(sql) > 1 },
      opts?.timeoutMs ?? this.opts.timeoutMs,
      `reply to ${clip(sql)}`,
    );
    return {
      rows: (r.rows ?? []) as (string | null)[][],
      columns: (r.columns ?? []) as string[],
      command: typeof r.command === 'string' ? r.command : undefined,
      error: r.error as QueryResult['error'],
    };
  }

  executeNamed(): Promise<QueryResult> {
    return Promise.reject(new Error('this driver has no API for user-named prepared statements'));
  }

  // A driver that reads its cancel connection to the end (pgx, ruby-pg) fails when the server
  // resets it instead of closing it (Odyssey does, now and then). The reset comes after the
  // server read the CancelRequest; whether the cancel took effect is for the scenario's next
  // steps to show, as with every driver. How that connection ended is noted, not an answer.
  async cancel(): Promise<void> {
    try {
      await this.call('cancel', {}, this.opts.timeoutMs, "the driver's cancel");
    } catch (err) {
      if (!(err instanceof Error) || !CANCEL_RESET.test(err.message)) throw err;
      this.opts.transcript.note(this.opts.label, `the driver's cancel connection: ${err.message}`);
    }
  }

  takeNotices(): string[] {
    return this.notices.splice(0);
  }
  backendPid(): number | undefined {
    return this.pid;
  }
  parameterStatus(name: string): string | undefined {
    return this.params.get(name);
  }

  async waitNotification(channel: string, timeoutMs: number): Promise<Notification | undefined> {
    const r = await this.call('waitNotification', { channel, timeoutMs }, timeoutMs + TIMEOUT_MS.helperSlack, `a notification on ${channel}`);
    const n = r.notification as { channel: string; payload: string; pid?: number } | null;
    return n ?? undefined;
  }

  async close(): Promise<void> {
    try {
      await this.call('close', {}, TIMEOUT_MS.driverEnd, 'close');
    } catch (err) {
      if (err instanceof InfrastructureError) return; // the helper died: nothing left to close
      throw err;
    }
  }

  destroy(): void {
    void this.call('destroy', {}, TIMEOUT_MS.driverEnd, 'drop the connection').catch(() => undefined);
  }
}
