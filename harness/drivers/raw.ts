// poolcheck's own wire client as a driver: every message visible in the transcript.
import { packageVersion } from './package-version.ts';
import { WireConnection } from '../wire/connection.ts';
import type { FrontendMessage, MessageName, ServerMessage } from '../wire/messages.ts';
import { toResult } from './query-result.ts';
import { NotificationBox, type Driver, type QueryOptions, type QueryResult, type Session, type SessionOptions } from './session.ts';

class RawSession implements Session {
  private readonly prepared = new Set<string>();
  private readonly box = new NotificationBox();

  constructor(
    private readonly conn: WireConnection,
    private readonly opts: SessionOptions,
  ) {
    conn.onNotification = (n) => this.box.push({ channel: n.channel, payload: n.payload, pid: n.pid });
  }

  private async run(messages: FrontendMessage[], timeoutMs = this.opts.timeoutMs): Promise<QueryResult> {
    this.conn.discardInbox();
    return toResult(await this.conn.exchange(messages, { timeoutMs }));
  }

  query(sql: string, params?: readonly (string | null)[], opts?: QueryOptions): Promise<QueryResult> {
    if (!params?.length) return this.run([{ type: 'Query', sql }], opts?.timeoutMs);
    return this.run(
      [{ type: 'Parse', sql }, { type: 'Bind', params }, { type: 'Describe', kind: 'P' }, { type: 'Execute' }, { type: 'Sync' }],
      opts?.timeoutMs,
    );
  }

  async executeNamed(name: string, sql: string, params: readonly (string | null)[]): Promise<QueryResult> {
    const parse: FrontendMessage[] = this.prepared.has(name) ? [] : [{ type: 'Parse', name, sql }];
    const result = await this.run([
      ...parse,
      { type: 'Bind', statement: name, params },
      { type: 'Describe', kind: 'P' },
      { type: 'Execute' },
      { type: 'Sync' },
    ]);
    if (!result.error || result.error.code === '42P05') this.prepared.add(name);
    return result;
  }

  cancel(): Promise<void> {
    return this.conn.cancel(this.opts.timeoutMs);
  }
  cancelWith(pid: number, secret: Buffer, hangUp: boolean): Promise<void> {
    return this.conn.cancel(this.opts.timeoutMs, pid, secret, hangUp);
  }
  secretKey(): Buffer | undefined {
    return this.conn.secret;
  }
  loginMessages(): readonly ServerMessage[] {
    return this.conn.login;
  }
  backendPid(): number | undefined {
    return this.conn.pid;
  }
  parameterStatus(name: string): string | undefined {
    return this.conn.parameters.get(name);
  }

  waitNotification(channel: string, timeoutMs: number) {
    return this.box.take(channel, timeoutMs);
  }

  takeNotices(): string[] {
    return this.conn.notices.splice(0);
  }
  takeParameterStatus(): Array<readonly [string, string]> {
    return this.conn.parameterLog.splice(0);
  }

  // No discardInbox here: what arrived since the last step is what this reads.
  receive(until: MessageName | 'close' | { readonly forMs: number }, timeoutMs: number): Promise<ServerMessage[]> {
    return this.conn.receivePending(until, timeoutMs);
  }

  exchange(
    messages: readonly FrontendMessage[],
    opts: { until?: MessageName | 'close'; timeoutMs: number; splitAt?: readonly number[] },
  ): Promise<ServerMessage[]> {
    this.conn.discardInbox();
    return this.conn.exchange(messages, opts);
  }

  close(): Promise<void> {
    return this.conn.close();
  }
  destroy(): void {
    this.conn.destroy();
  }
}

const version = packageVersion('pg-protocol');

export const rawDriver: Driver = {
  id: 'raw',
  loginMs: 60,
  library: 'pg-protocol',
  version,
  capabilities: new Set([
    'namedPrepare',
    'cancel',
    'backendPid',
    'parameterStatus',
    'notifications',
    'notificationPid',
    'protocol',
    'notices',
    'commandTags',
    'parameterStatusLog',
    'tls',
    'clientCert',
    'startupParams',
    'startupApplicationName',
    'anyClientEncoding',
    'loginErrorCode',
  ]),
  notes: "poolcheck's wire client: simple Query without params, Parse/Bind/Describe/Execute/Sync with them",
  async connect(opts) {
    const conn = await WireConnection.connect({
      ...opts.conn,
      label: opts.label,
      transcript: opts.transcript,
      timeoutMs: opts.timeoutMs,
      tls: opts.tls,
      clientCert: opts.clientCert,
      protocol: opts.protocol,
      params: { ...(opts.applicationName ? { application_name: opts.applicationName } : {}), ...opts.startupParams },
    });
    return new RawSession(conn, opts);
  },
};
