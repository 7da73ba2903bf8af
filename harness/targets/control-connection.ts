// poolcheck's own connections: a lane's control connection, a pooler's admin console, a version
// probe. They keep no transcript (unless lent to a scenario, whose transcript then gets their
// traffic), connect on first use and again after a close, and are never reused while a reply
// is still owed: a query that missed its deadline closes the connection, because its late reply
// would otherwise answer the next query. Callers that share one (the lanes of a target share its
// admin console) take turns: two exchanges interleaved on one socket would swap their replies.
import type { ConnInfo } from '../kernel/conn-info.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { WireConnection } from '../wire/connection.ts';
import type { ServerMessage } from '../wire/messages.ts';
import { textOf } from '../wire/bytes.ts';
import { Transcript } from '../wire/transcript.ts';

export type Row = Record<string, string | null>;

export class ControlConnection {
  private conn: WireConnection | undefined;
  private transcript = Transcript.none();
  /** The exchange in progress; the next one starts when it has settled. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly info: ConnInfo,
    private readonly label: string,
  ) {}

  /** Where this connection's traffic is written from now on (Transcript.none() keeps nothing). */
  recordInto(transcript: Transcript): void {
    this.transcript = transcript;
    this.conn?.recordInto(transcript);
  }

  get isOpen(): boolean {
    return this.conn !== undefined && !this.conn.isClosed;
  }

  /** Simple Queries in one write; the replies up to the last ReadyForQuery. */
  exchange(sqls: readonly string[], timeoutMs: number = TIMEOUT_MS.control): Promise<ServerMessage[]> {
    const mine = this.turn.then(() => this.exchangeNow(sqls, timeoutMs));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async exchangeNow(sqls: readonly string[], timeoutMs: number): Promise<ServerMessage[]> {
    const conn = await this.open();
    conn.discardInbox();
    try {
      return await conn.exchange(
        sqls.map((sql) => ({ type: 'Query', sql })),
        { timeoutMs },
      );
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** One command's rows, keyed by column name; an ErrorResponse is thrown. */
  async rows(sql: string): Promise<Row[]> {
    const reply = await this.exchange([sql]);
    const out: Row[] = [];
    let names: readonly string[] = [];
    for (const m of reply) {
      if (m.type === 'ErrorResponse') throw new Error(`"${sql}" failed on poolcheck's ${this.label} connection: ${m.message}`);
      if (m.type === 'RowDescription') names = m.columns;
      if (m.type === 'DataRow') out.push(Object.fromEntries(names.map((n, i) => [n, textOf(m.values[i] ?? null)])));
    }
    return out;
  }

  /** The first value of the first row. */
  async value(sql: string): Promise<string | null | undefined> {
    const [row] = await this.rows(sql);
    return row ? Object.values(row)[0] : undefined;
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    await conn?.close().catch(() => undefined);
  }

  private async open(): Promise<WireConnection> {
    if (!this.conn || this.conn.isClosed) {
      this.conn = await WireConnection.connect({ ...this.info, label: this.label, transcript: this.transcript, timeoutMs: TIMEOUT_MS.control });
    }
    return this.conn;
  }
}
