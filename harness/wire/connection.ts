// A raw protocol client connection (3.0 unless asked for another version): startup and
// authentication, then message lists in and out, every message logged to the transcript. Flow
// reference: https://www.postgresql.org/docs/current/protocol-flow.html
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { serialize } from 'pg-protocol';
import type { Endpoint } from '../kernel/conn-info.ts';
import { ConnectionLostError, DeadlineError, ServerError } from '../kernel/errors.ts';
import { withDeadline } from '../kernel/poll.ts';
import { BackendDecoder, FramingError, type Decoded } from './backend-codec.ts';
import { toBytes } from './bytes.ts';
import { cancelRequest, encode, startupMessage } from './frontend-codec.ts';
import { IncomingFormats } from './incoming-formats.ts';
import { renderBackend, renderFrontend, renderKey, type FrontendMessage, type MessageName, type MessageOf, type ServerMessage } from './messages.ts';
import { PROTOCOL_3_0, protocolText } from './protocol-version.ts';
import { replyEnd } from './reply-accounting.ts';
import { md5Password, SCRAM_MECHANISM, scramClient } from './scram.ts';
import { Transcript } from './transcript.ts';

export interface ConnectOptions extends Endpoint {
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  /** Further startup parameters (application_name, options, ...). */
  readonly params?: Readonly<Record<string, string>>;
  /** The session's name in the transcript. */
  readonly label: string;
  readonly transcript: Transcript;
  readonly timeoutMs: number;
  /** Ask for TLS first (SSLRequest) and fail if the server refuses, as sslmode=require does. */
  readonly tls?: boolean;
  /** A client certificate and key (PEM) for the TLS handshake (a `cert` login). */
  readonly clientCert?: { readonly cert: string; readonly key: string };
  /** The protocol version the StartupMessage asks for (default 3.0, 196608). */
  readonly protocol?: number;
  /** Opens the byte stream to the server (default: TCP to host:port); the CancelRequest's too. */
  readonly dial?: Dial;
  /** Drop the socket when the server first asks for a password or a SASL exchange, without answering (abandonLogin). */
  readonly abandonAuthentication?: true;
}

/** The login was given up on purpose, when the server asked for this (abandonAuthentication). */
class LoginAbandoned extends Error {
  constructor(readonly at: MessageName) {
    super(`login abandoned at ${at}`);
  }
}

/** The authentication requests a client must answer (every Authentication message but AuthenticationOk). */
const ASKS_FOR_CREDENTIALS: ReadonlySet<string> = new Set(['AuthenticationCleartextPassword', 'AuthenticationMD5Password', 'AuthenticationSASL']);

/** Opens a connection to the server; `what` names it for a deadline's message. */
export type Dial = (timeoutMs: number, what: string) => Promise<Duplex>;

/** Messages that end a session's reply with ReadyForQuery (reply-accounting.ts). */
const OWES_READY: ReadonlySet<string> = new Set(['Sync', 'Query', 'FunctionCall']);

type Waiter = () => void;

export class WireConnection {
  readonly parameters = new Map<string, string>();
  /** SQLSTATEs of NoticeResponses, in arrival order, until taken. */
  readonly notices: string[] = [];
  /** ParameterStatus messages as they arrived (name, value), until taken. */
  readonly parameterLog: Array<readonly [string, string]> = [];
  /** Everything the server sent during the login, up to its first ReadyForQuery. */
  readonly login: ServerMessage[] = [];
  pid: number | undefined;
  /** The secret key from BackendKeyData: 4 bytes in protocol 3.0, up to 256 in 3.2. */
  secret: Buffer | undefined;
  /** The protocol version in use: the one asked for, or the one NegotiateProtocolVersion offered. */
  protocol: number;
  onNotification: ((m: MessageOf<'NotificationResponse'>) => void) | undefined;
  private readonly inbox: ServerMessage[] = [];
  // Several reads can wait at once (a background query and close(), say); all are woken.
  private readonly waiters = new Set<Waiter>();
  private closedWith: string | undefined;
  /** The FATAL error the server sent before closing, if one came: why it closed. */
  private fatal: { readonly code: string | null; readonly message: string } | undefined;
  private recordTo: Transcript;
  private readonly formats = new IncomingFormats();
  private readonly decoder = new BackendDecoder(this.formats);

  private constructor(
    private readonly socket: Duplex,
    private readonly opts: ConnectOptions,
  ) {
    this.recordTo = opts.transcript;
    this.protocol = opts.protocol ?? PROTOCOL_3_0;
    (socket as Partial<net.Socket>).setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk, (d) => this.receive(d));
      } catch (err) {
        if (!(err instanceof FramingError)) throw err;
        this.transcript.note(this.label, `cannot read the server's bytes any more: ${err.message}`);
        this.markClosed(`the server broke the message framing (${err.message})`);
        socket.destroy();
      }
    });
    socket.on('error', (err: Error) => this.markClosed(`socket error: ${err.message}`));
    socket.on('close', () => {
      const partial = this.decoder.partial;
      if (partial && this.closedWith === undefined) this.transcript.note(this.label, `the server closed the connection with ${partial} unread`);
      this.markClosed(partial ? `the server closed the connection in the middle of a message (${partial})` : 'the server closed the connection');
    });
  }

  static async connect(opts: ConnectOptions): Promise<WireConnection> {
    const dial = opts.dial ?? tcp(opts);
    let socket = await dial(opts.timeoutMs, `${opts.label}: TCP connect to ${opts.host}:${opts.port}`);
    if (opts.tls) socket = await startTls(socket, opts);
    const conn = new WireConnection(socket, opts);
    try {
      await conn.startup();
    } catch (err) {
      conn.socket.destroy();
      throw err;
    }
    return conn;
  }

  /**
   * A client that gives up in the middle of its login: the StartupMessage, then, when the server
   * asks for credentials, a dropped socket. Returns what the server had asked for, or
   * 'ReadyForQuery' where it let the client in without asking (the connection is then closed).
   */
  static async abandonLogin(opts: ConnectOptions): Promise<MessageName> {
    try {
      const conn = await WireConnection.connect({ ...opts, abandonAuthentication: true });
      await conn.close();
      return 'ReadyForQuery';
    } catch (err) {
      if (err instanceof LoginAbandoned) return err.at;
      throw err;
    }
  }

  get label(): string {
    return this.opts.label;
  }
  get transcript(): Transcript {
    return this.recordTo;
  }
  /** Where this connection's traffic is written from now on (a connection lent to a scenario). */
  recordInto(transcript: Transcript): void {
    this.recordTo = transcript;
  }
  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  private receive({ message: m, raw }: Decoded): void {
    if (raw) this.captureAuth(raw as unknown as Record<string, unknown>);
    this.formats.received(m);
    this.transcript.be(this.label, renderBackend(m));
    if (m.type === 'ParameterStatus') {
      this.parameters.set(m.name, m.value);
      this.parameterLog.push([m.name, m.value]);
    }
    if (m.type === 'BackendKeyData') {
      this.pid = m.pid;
      this.secret = Buffer.from(m.key.hex, 'hex');
      this.transcript.pid(this.pid);
    }
    if (m.type === 'NoticeResponse') this.notices.push(String(m.code));
    if (m.type === 'ErrorResponse' && m.severity === 'FATAL') this.fatal = { code: m.code, message: m.message };
    if (m.type === 'NotificationResponse') {
      this.onNotification?.(m);
      this.transcript.pid(m.pid);
    }
    this.inbox.push(m);
    this.wake();
  }

  private lost(when: string): ConnectionLostError {
    const after = this.fatal ? ` after FATAL ${this.fatal.code}: ${this.fatal.message}` : '';
    return new ConnectionLostError(`${this.label}: ${this.closedWith}${after} ${when}`, this.fatal?.code ?? undefined);
  }

  private markClosed(why: string): void {
    if (this.closedWith === undefined) this.closedWith = why;
    this.wake();
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  private async startup(): Promise<void> {
    const { user, database, params, label } = this.opts;
    const version = this.protocol === PROTOCOL_3_0 ? '' : `version=${protocolText(this.protocol)}, `;
    this.transcript.fe(
      label,
      `StartupMessage(${version}user=${JSON.stringify(user)}, database=${JSON.stringify(database)}${Object.entries(params ?? {})
        .map(([k, v]) => `, ${k}=${JSON.stringify(v)}`)
        .join('')})`,
    );
    this.socket.write(startupMessage({ user, database, ...params }, this.protocol));
    let scram: ReturnType<typeof scramClient> | undefined;
    for (;;) {
      const [m] = await this.read((x) => x.length > 0, this.opts.timeoutMs, 'authentication and ReadyForQuery');
      this.inbox.shift();
      this.login.push(m);
      if (this.opts.abandonAuthentication && ASKS_FOR_CREDENTIALS.has(m.type)) {
        this.transcript.note(label, `drop the socket instead of answering ${m.type}`);
        throw new LoginAbandoned(m.type);
      }
      switch (m.type) {
        case 'AuthenticationCleartextPassword':
          this.sendRaw(serialize.password(this.password()), 'PasswordMessage(<hidden>)');
          break;
        case 'AuthenticationMD5Password':
          this.sendRaw(serialize.password(md5Password(user, this.password(), this.md5Salt)), 'PasswordMessage(md5 <hidden>)');
          break;
        case 'AuthenticationSASL':
          if (!this.saslMechanisms.includes(SCRAM_MECHANISM))
            throw new Error(`${label}: server offers SASL ${this.saslMechanisms.join(', ')}, not ${SCRAM_MECHANISM}`);
          scram = scramClient(this.password());
          this.sendRaw(serialize.sendSASLInitialResponseMessage(SCRAM_MECHANISM, scram.clientFirst), `SASLInitialResponse(${SCRAM_MECHANISM})`);
          break;
        case 'AuthenticationSASLContinue':
          if (!scram) throw new Error(`${label}: SASLContinue before SASL started`);
          this.sendRaw(serialize.sendSCRAMClientFinalMessage(await scram.respond(this.saslData)), 'SASLResponse(<proof>)');
          break;
        case 'AuthenticationSASLFinal':
          if (!scram) throw new Error(`${label}: SASLFinal before SASL started`);
          scram.verify(this.saslData);
          break;
        case 'ErrorResponse':
          throw new ServerError(String(m.code), `${label}: connection refused: ${m.message}`);
        case 'NegotiateProtocolVersion':
          // The server goes on in this version rather than refusing the login:
          // https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
          this.protocol = m.version;
          break;
        case 'ReadyForQuery':
          return;
        default:
          break; // AuthenticationOk, ParameterStatus, BackendKeyData, NoticeResponse
      }
    }
  }

  // pg-protocol keeps SASL payloads and the md5 salt on the raw message; toServerMessage drops
  // them to keep transcripts free of secrets, so the raw values are captured here.
  private saslMechanisms: string[] = [];
  private saslData = '';
  private md5Salt: Buffer = Buffer.alloc(4);

  private captureAuth(raw: Record<string, unknown>): void {
    if (raw.name === 'authenticationSASL') this.saslMechanisms = raw.mechanisms as string[];
    if (raw.name === 'authenticationSASLContinue' || raw.name === 'authenticationSASLFinal') this.saslData = raw.data as string;
    if (raw.name === 'authenticationMD5Password') this.md5Salt = raw.salt as Buffer;
  }

  private password(): string {
    if (this.opts.password === undefined) throw new Error(`${this.opts.label}: the server asks for a password and none was given`);
    return this.opts.password;
  }

  private sendRaw(buf: Buffer, rendered: string): void {
    this.transcript.fe(this.label, rendered);
    this.socket.write(buf);
  }

  /**
   * Sends every message in one write, as a client pipelining them would; or, with `splitAt`
   * (byte offsets into the encoded list), in several writes cut at those offsets, each
   * flushed before the next, so the peer sees messages arrive in pieces.
   */
  async send(messages: readonly FrontendMessage[], splitAt: readonly number[] = []): Promise<void> {
    if (this.closedWith) throw this.lost('when asked to send');
    const bytes = Buffer.concat(messages.map(encode));
    for (const m of messages) {
      this.transcript.fe(this.label, renderFrontend(m));
      this.formats.sent(m);
    }
    const cuts = [...new Set(splitAt.filter((o) => o > 0 && o < bytes.length))].sort((a, b) => a - b);
    if (!cuts.length) {
      this.socket.write(bytes);
      return;
    }
    this.transcript.note(this.label, `(sent as ${cuts.length + 1} writes, cut at bytes ${cuts.join(', ')} of ${bytes.length})`);
    let from = 0;
    for (const to of [...cuts, bytes.length]) {
      await new Promise<void>((resolve, reject) => this.socket.write(bytes.subarray(from, to), (err) => (err ? reject(err) : resolve())));
      // A macrotask between writes lets the kernel hand the piece to the peer on its own.
      await new Promise((r) => setTimeout(r, 1));
      from = to;
    }
  }

  /**
   * Waits until `done(inbox)` holds, then returns the inbox without consuming it.
   * Fails with what it waited for when the deadline passes or the connection closes.
   */
  private async read(done: (inbox: ServerMessage[]) => boolean, timeoutMs: number, what: string): Promise<ServerMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.inbox)) {
      if (this.closedWith) throw this.lost(`while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineError(`${this.label}: timed out after ${timeoutMs}ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiters.delete(waiter);
          resolve();
        }, left);
        this.waiters.add(waiter);
      });
    }
    return this.inbox;
  }

  /**
   * Sends messages and collects the replies: up to the end of PostgreSQL's reply to them
   * (reply-accounting.ts), or, for a list without Sync (Flush), up to the first message of type
   * `until`. A reply that stops after one ReadyForQuery per Sync and Query sent also ends there,
   * so a pooler that answers otherwise shows what it sent instead of waiting out the deadline.
   */
  async exchange(
    messages: readonly FrontendMessage[],
    opts: { until?: MessageName | 'close'; timeoutMs?: number; splitAt?: readonly number[] } = {},
  ): Promise<ServerMessage[]> {
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const owed = messages.filter((m) => OWES_READY.has(m.type)).length;
    await this.send(messages, opts.splitAt);
    if (messages.some((m) => m.type === 'Terminate')) return this.drainUntilClosed(timeoutMs);
    if (opts.until === 'close') return this.drainUntilClosed(timeoutMs, true);
    const until = opts.until;
    if (!owed && !until) throw new Error(`${this.label}: a message list without Sync, Query or FunctionCall needs 'until' (the reply to wait for)`);
    const what = until ? `${until}` : `the reply to ${owed} Sync/Query`;
    const end = (inbox: ServerMessage[]) => {
      if (until) return inbox.findIndex((m) => m.type === until);
      let seen = 0;
      let counted = -1;
      for (let i = 0; i < inbox.length && counted < 0; i++) if (inbox[i].type === 'ReadyForQuery' && ++seen === owed) counted = i;
      const accounted = replyEnd(messages, inbox);
      return counted < 0 ? accounted : accounted < 0 ? counted : Math.min(counted, accounted);
    };
    await this.read((inbox) => end(inbox) >= 0, timeoutMs, what);
    return this.inbox.splice(0, end(this.inbox) + 1);
  }

  /**
   * Reads what the server sends without sending anything: up to the first message of type
   * `until`, until the server closes ('close'), or whatever arrives within `forMs` (no error
   * when nothing does). What arrived since the last step counts.
   */
  async receivePending(until: MessageName | 'close' | { readonly forMs: number }, timeoutMs: number): Promise<ServerMessage[]> {
    if (typeof until === 'object') {
      await this.read(() => false, until.forMs, `${until.forMs}ms of messages`).catch((err: unknown) => {
        if (!(err instanceof DeadlineError) && !(err instanceof ConnectionLostError)) throw err;
      });
      return this.inbox.splice(0);
    }
    if (until === 'close') return this.drainUntilClosed(timeoutMs, true);
    await this.read((inbox) => inbox.some((m) => m.type === until), timeoutMs, until);
    return this.inbox.splice(0, this.inbox.findIndex((m) => m.type === until) + 1);
  }

  /** Terminate was sent (or the server is expected to close): whatever arrives until it closes is the reply. */
  private async drainUntilClosed(timeoutMs: number, unprompted = false): Promise<ServerMessage[]> {
    try {
      await this.read(
        () => this.closedWith !== undefined,
        timeoutMs,
        unprompted ? 'the server to close the connection' : 'the server to close after Terminate',
      );
    } catch (err) {
      if (!(err instanceof ConnectionLostError)) throw err;
    }
    return this.inbox.splice(0);
  }

  /** Drops unread asynchronous messages (notices, notifications) between steps. */
  discardInbox(): ServerMessage[] {
    return this.inbox.splice(0);
  }

  /**
   * CancelRequest on a new connection (it is never sent on the session's own socket), then waits
   * for the server to close that connection, which it does once the request was handled; with
   * `hangUp` the client closes its side as soon as the request is written, and waits for the rest.
   * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
   */
  async cancel(timeoutMs: number, pid = this.pid, secret = this.secret, hangUp = false): Promise<void> {
    if (pid === undefined || secret === undefined) throw new Error(`${this.label}: no BackendKeyData received, cannot cancel`);
    const forged = this.secret === undefined || !secret.equals(this.secret);
    await sendCancel(this.opts, pid, secret, timeoutMs, this.label, this.transcript, forged, hangUp);
  }

  async close(): Promise<void> {
    if (this.closedWith) return;
    this.transcript.fe(this.label, 'Terminate');
    this.socket.end(serialize.end());
    await this.read(() => this.closedWith !== undefined, TIMEOUT_MS.sessionClose, 'the connection to close').catch(() => this.socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }
}

async function sendCancel(
  endpoint: Endpoint & { readonly dial?: Dial },
  pid: number,
  secret: Buffer,
  timeoutMs: number,
  label: string,
  transcript: Transcript,
  forged = false,
  hangUp = false,
): Promise<void> {
  const socket = await (endpoint.dial ?? tcp(endpoint))(timeoutMs, `${label}: TCP connect for CancelRequest`);
  transcript.fe(label, `CancelRequest(pid=${pid}, key=${renderKey(toBytes(secret), forged ? '<wrong secret>' : '<secret>')}) on a new connection`);
  transcript.pid(pid);
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  if (hangUp) {
    transcript.fe(label, 'the CancelRequest connection closed by the client at once');
    socket.end(cancelRequest(pid, secret));
  } else socket.write(cancelRequest(pid, secret));
  await withDeadline(closed, timeoutMs, `${label}: the server to close the CancelRequest connection`, () => socket.destroy());
}

/**
 * SSLRequest, then the server's one-byte answer ('S' or 'N'), then the TLS handshake on the
 * same socket: https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL
 * The test servers use a self-signed certificate, so it is not verified (sslmode=require).
 */
async function startTls(socket: Duplex, opts: ConnectOptions): Promise<tls.TLSSocket> {
  opts.transcript.fe(opts.label, 'SSLRequest');
  socket.write(serialize.requestSsl());
  const answer = await withDeadline(
    new Promise<string>((resolve, reject) => {
      socket.once('data', (d: Buffer) => resolve(String.fromCharCode(d[0])));
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('the server closed the connection after SSLRequest')));
    }),
    opts.timeoutMs,
    `${opts.label}: the answer to SSLRequest`,
    () => socket.destroy(),
  );
  opts.transcript.be(opts.label, `SSLResponse(${answer})`);
  if (answer !== 'S') {
    socket.destroy();
    throw new Error(`${opts.label}: the server refused TLS (answered ${JSON.stringify(answer)} to SSLRequest)`);
  }
  const secure = tls.connect({
    socket,
    rejectUnauthorized: false,
    ...(opts.clientCert ? { cert: opts.clientCert.cert, key: opts.clientCert.key } : {}),
  });
  await withDeadline(
    new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    }),
    opts.timeoutMs,
    `${opts.label}: the TLS handshake`,
    () => secure.destroy(),
  );
  opts.transcript.note(opts.label, `TLS established (${secure.getProtocol()})`);
  return secure;
}

const tcp =
  (endpoint: Endpoint): Dial =>
  (timeoutMs, what) =>
    openSocket(endpoint, timeoutMs, what);

function openSocket(endpoint: Endpoint, timeoutMs: number, what: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DeadlineError(`timed out after ${timeoutMs}ms waiting for ${what}`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${what} failed: ${err.message}`));
    });
  });
}
