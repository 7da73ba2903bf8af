// The one interface every driver sits behind. A scenario step speaks to a Session; a driver
// lacking a capability a scenario needs makes that scenario `skip` for it, with the reason.
import type { ConnInfo } from '../kernel/conn-info.ts';
import type { Value } from '../wire/bytes.ts';
import type { FrontendMessage, ServerMessage } from '../wire/messages.ts';
import type { Transcript } from '../wire/transcript.ts';

export const CAPABILITIES = {
  namedPrepare: 'executes protocol-level named prepared statements',
  cancel: 'sends a CancelRequest for its running query',
  backendPid: 'holds the pid from BackendKeyData',
  parameterStatus: 'holds the ParameterStatus values the server reported',
  notifications: 'delivers NotificationResponse messages',
  notificationPid: 'reports the sender pid of a notification',
  protocol: 'sends arbitrary protocol message lists (raw wire)',
  driverPrepares: 'names server-side prepared statements on its own (a statement cache or a prepare threshold)',
  startupApplicationName: 'sends application_name in its StartupMessage (pgjdbc sends SET application_name after connecting)',
  anyClientEncoding: 'keeps working when client_encoding is set to other than UTF8 (pgjdbc closes the connection)',
  loginErrorCode: 'reports the SQLSTATE of a refused login (libpq keeps only the message of a failed connection attempt)',
  notices: 'reports the NoticeResponses it received',
  commandTags: 'reports the CommandComplete tag of every statement, as the server sent it',
  parameterStatusLog: 'reports every ParameterStatus message, in arrival order',
  tls: 'connects with TLS required (sslmode=require)',
  clientCert: 'presents a client certificate over TLS (sslcert/sslkey)',
  startupParams: 'sends arbitrary parameters in its StartupMessage',
} as const;
export type Capability = keyof typeof CAPABILITIES;

export interface DbError {
  readonly code: string;
  readonly message: string;
  /** ERROR, or FATAL when the server closes the connection after it (where the driver tells). */
  readonly severity?: string;
}

/**
 * Every value as PostgreSQL's text output, so all drivers compare alike; bytes only where a
 * raw-protocol step asked for binary results.
 */
export type Row = readonly Value[];

export interface QueryResult {
  readonly rows: readonly Row[];
  readonly columns: readonly string[];
  readonly command?: string;
  /** Every CommandComplete tag, in order (commandTags). */
  readonly tags?: readonly string[];
  readonly error?: DbError;
}

export interface QueryOptions {
  readonly timeoutMs?: number;
}

export interface Notification {
  readonly channel: string;
  readonly payload: string;
  readonly pid?: number;
}

export interface Session {
  /**
   * One statement; with params it goes through the extended protocol (unnamed statement).
   * `timeoutMs` overrides the session's deadline for this call (a step's own timeoutMs).
   */
  query(sql: string, params?: readonly (string | null)[], opts?: QueryOptions): Promise<QueryResult>;
  /** Executes a named statement, preparing it on this connection on first use (namedPrepare). */
  executeNamed(name: string, sql: string, params: readonly (string | null)[]): Promise<QueryResult>;
  /** Cancels the query in flight through the driver's own mechanism (cancel). */
  cancel(): Promise<void>;
  backendPid(): number | undefined;
  parameterStatus(name: string): string | undefined;
  /** Resolves with the first notification on `channel` not yet taken, or undefined at the deadline. */
  waitNotification(channel: string, timeoutMs: number): Promise<Notification | undefined>;
  /** SQLSTATEs of the NoticeResponses received since the last call (notices). */
  takeNotices?(): string[];
  /** ParameterStatus messages (name, value) received since the last call, in order (parameterStatusLog). */
  takeParameterStatus?(): Array<readonly [string, string]>;
  /** Reads what the server sends without sending anything (protocol); WireConnection.receivePending. */
  receive?(until: string | { readonly forMs: number }, timeoutMs: number): Promise<ServerMessage[]>;
  /** Sends a message list and returns the replies; `splitAt` cuts the bytes into several writes (protocol). */
  exchange?(messages: readonly FrontendMessage[], opts: { until?: string; timeoutMs: number; splitAt?: readonly number[] }): Promise<ServerMessage[]>;
  /** A CancelRequest with a chosen pid and secret key (protocol); `hangUp` closes its connection once it is written. */
  cancelWith?(pid: number, secret: Buffer, hangUp: boolean): Promise<void>;
  /** The secret key from BackendKeyData: 4 bytes in protocol 3.0, longer in 3.2 (protocol). */
  secretKey?(): Buffer | undefined;
  /** Everything the server sent during the login, up to its first ReadyForQuery (protocol). */
  loginMessages?(): readonly ServerMessage[];
  close(): Promise<void>;
  /** Drops the connection without Terminate, as a crashed client would. */
  destroy(): void;
}

export interface SessionOptions {
  readonly conn: ConnInfo;
  readonly label: string;
  readonly transcript: Transcript;
  readonly timeoutMs: number;
  readonly applicationName?: string;
  /** Require TLS (tls). */
  readonly tls?: boolean;
  /** A client certificate and its key (PEM) to present in the TLS handshake (clientCert). */
  readonly clientCert?: { readonly cert: string; readonly key: string };
  /** Further StartupMessage parameters (startupParams). */
  readonly startupParams?: Readonly<Record<string, string>>;
  /** The protocol version the StartupMessage asks for, e.g. 196610 for 3.2 (protocol). */
  readonly protocol?: number;
}

export interface Driver {
  readonly id: string;
  /** The library behind it and the version actually loaded. */
  readonly library: string;
  readonly version: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** How it puts SQL on the wire, for the report. */
  readonly notes: string;
  /**
   * What a login through it costs, in ms on the default bookworm matrix (2 cores): SCRAM key
   * derivation and a backend forked are most of a result. Only ratios matter: shards are
   * balanced by it (scenario/run-cost.ts).
   */
  readonly loginMs: number;
  /**
   * A variant whose setting is a prepare threshold (0 or none: never prepare): until one
   * statement has run `executions` times on one connection it sends exactly what `base` sends
   * (test/integration/variant-wire.test.ts records both), so a scenario that never repeats a
   * statement that often is `skip` for it, with `base`'s result standing for it.
   */
  readonly sameWireAs?: { readonly base: string; readonly executions: number };
  /**
   * For a `:pooler-safe` variant: the driver setting it runs with, as the driver spells it,
   * and the driver's own page that tells users to set it behind a transaction pooler.
   */
  readonly poolerSafe?: { readonly setting: string; readonly docs: string };
  /**
   * Gets ready before the first scenario (a helper process starts: a JVM compiles for seconds),
   * so that start-up never eats into a scenario's deadlines. A failure here is not thrown: the
   * first connect reports it.
   */
  warmUp?(): Promise<void>;
  connect(opts: SessionOptions): Promise<Session>;
}

/** Takes notifications in arrival order, each once. */
export class NotificationBox {
  private readonly items: Notification[] = [];
  private waiters: Array<() => void> = [];

  push(n: Notification): void {
    this.items.push(n);
    for (const w of this.waiters.splice(0)) w();
  }

  async take(channel: string, timeoutMs: number): Promise<Notification | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.items.findIndex((n) => n.channel === channel);
      if (i >= 0) return this.items.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
