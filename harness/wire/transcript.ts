// One scenario run's exchange, every session interleaved in order, in pgproto's style:
//   a FE=> Parse(stmt="s1", query="SELECT 1")
//   a <= BE ParseComplete
// Rendering normalises what differs between two runs of the same thing (backend pids,
// transaction ids, the oids of roles and databases a scenario made, timestamps, values a scenario saved that the server generated, per-run object
// names) so transcripts of two runs, or of PostgreSQL and a pooler, can be diffed line by line.
// Ids keep their identity: the first pid seen is pid#1, the first transaction id xid#1.
// Lines are in step order, not arrival order: what a session receives while another session's
// step runs (a notification, a FATAL from a backend ended by the observer), or while its own
// query runs in the background, is shown under its own next step (after the await of that
// query), so the order of two runs does not depend on which packet came first.

const TIMESTAMP = /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d(?::\d\d)?|Z)?/g;
/** A loopback address with the port poolcheck picked for this run. */
const LOOPBACK_PORT = /\b(127\.0\.0\.1|::1|localhost):\d{2,5}\b/g;
/** The same in libpq's words: 'connection to server at "127.0.0.1", port 31499 failed'. */
const LIBPQ_PORT = /("(?:127\.0\.0\.1|::1|localhost)", port )\d{2,5}\b/g;
/**
 * A statement or portal name a driver or pooler generated (postgres.js, pgbouncer's
 * PGBOUNCER_n): long enough not to be one a scenario chose.
 */
const GENERATED_NAME = /\b(prepared statement|portal) (\\?")((?=[A-Za-z_]*\d)[A-Za-z0-9_]{8,})\\?"/g;

/**
 * The id Odyssey gives each client and server connection and puts in its messages ("odyssey:
 * c0eae83547840: ...", "failed to connect to remote server s5747c24b1b4e", "remote server
 * read/write error s5747c24b1b4e: ...").
 */
const ODYSSEY_CONNECTION_ID = /\b(odyssey: |remote server |read\/write error )([cs])[0-9a-f]{8,16}\b/g;
/** OpenSSL's error strings begin with the id of the thread that met the error ("805CA119FE7E0000:error:0A000418:..."). */
const OPENSSL_THREAD = /\b[0-9A-F]{12,16}(:error:[0-9A-F]{8}:)/g;
/**
 * A role's stored secret in CREATE/ALTER ROLE: its SCRAM keys (or md5 hash) come from a password
 * made for the run, so they differ from run to run (and are better not kept in a report).
 */
const STORED_SECRET = /\b(SCRAM-SHA-256\$)\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+|\b(md5)[0-9a-f]{32}\b/g;

/** What a registered value stands for: an id numbered by first appearance, or a saved value's name. */
type Label = { readonly kind: 'pid' | 'xid' | 'oid' } | { readonly kind: 'saved'; readonly name: string };

export class Transcript {
  private readonly lines: string[] = [];
  /** The session whose step runs now; lines of the others are held until their own next step. */
  private current: string | undefined;
  /** Sessions with a query in the background: their lines are held until it is awaited. */
  private readonly inBackground = new Set<string>();
  private readonly held = new Map<string, string[]>();
  private readonly values = new Map<string, Label>();
  /** Value -> its label, fixed by the last render. */
  private rendered = new Map<string, string>();

  /** A transcript that keeps nothing, for poolcheck's own traffic between scenarios. */
  static none(): Transcript {
    return new Transcript(false);
  }

  constructor(private readonly keep = true) {}

  fe(session: string, text: string): void {
    this.add(session, `${session} FE=> ${text}`);
  }
  be(session: string, text: string): void {
    this.add(session, `${session} <= BE ${text}`);
  }
  /** A driver-level or harness line (drivers that hide the wire log what they were asked and answered). */
  note(session: string, text: string): void {
    this.add(session, `${session} -- ${text}`);
  }

  /** The header of a step of `session`: from here on its lines go in as they come. */
  step(session: string, text: string): void {
    if (this.keep) this.lines.push(`${session} -- ${text}`);
    this.current = session;
    if (!this.inBackground.has(session)) this.release(session);
  }

  /** What a step of the current session came to: its own, even while the session's background query is held. */
  result(session: string, text: string): void {
    if (this.keep && session === this.current) this.lines.push(`${session} -- ${text}`);
    else this.note(session, text);
  }

  /** `session` runs a query in the background: its lines wait for the step that awaits it. */
  background(session: string): void {
    this.inBackground.add(session);
  }

  /** The background query of `session` is over (awaited, or abandoned by a disconnect). */
  settled(session: string): void {
    this.inBackground.delete(session);
    if (session === this.current) this.release(session);
  }

  /** The steps are over, or broke off: what is held goes in, session by session. */
  endSteps(): void {
    this.current = undefined;
    this.inBackground.clear();
    for (const session of [...this.held.keys()].sort()) this.release(session);
  }

  private release(session: string): void {
    this.lines.push(...(this.held.get(session) ?? []));
    this.held.delete(session);
  }

  private add(session: string, line: string): void {
    if (!this.keep) return;
    if (this.current === undefined || (session === this.current && !this.inBackground.has(session))) this.lines.push(line);
    else if (this.held.has(session)) this.held.get(session)!.push(line);
    else this.held.set(session, [line]);
  }

  private register(value: number | string | null | undefined, label: Label): void {
    // Poolers hand out made-up keys; read as signed int32 they can be negative.
    if (
      this.keep &&
      value !== null &&
      value !== undefined &&
      /^-?\d+$/.test(String(value)) &&
      Number(value) !== 0 &&
      !this.values.has(String(value))
    ) {
      this.values.set(String(value), label);
      this.pattern = undefined;
    }
  }

  /** A number that is a backend pid (from BackendKeyData, a pid column, a notification). */
  pid(value: number | string | null | undefined): void {
    this.register(value, { kind: 'pid' });
  }

  /** A number that is a transaction id. */
  xid(value: number | string | null | undefined): void {
    this.register(value, { kind: 'xid' });
  }

  /** The oid of a role or database the scenario made: it depends on what every lane made before. */
  oid(value: number | string | null | undefined): void {
    this.register(value, { kind: 'oid' });
  }

  /**
   * A value a step saved, shown as `$name`: a number the server generated (a large object's oid,
   * a count that grows) differs from run to run. Short numbers stay: they are rarely generated,
   * and would match too much.
   */
  saved(name: string, value: string): void {
    if (/^\d{3,}$/.test(value)) this.register(value, { kind: 'saved', name });
  }

  private replaced: ReadonlyArray<readonly [string, string]> = [];
  private counts = { pid: 0, xid: 0, oid: 0, name: 0 };
  private readonly names = new Map<string, string>();

  /** `replace` maps run-specific strings (object names, run id) to their stable spelling. */
  render(replace: ReadonlyArray<readonly [string, string]> = []): string {
    this.endSteps();
    this.counts = { pid: 0, xid: 0, oid: 0, name: 0 };
    this.rendered = new Map();
    this.names.clear();
    this.replaced = replace;
    return this.lines.map((line) => this.normalize(line)).join('\n') + '\n';
  }

  /**
   * A line, or a message about this run, in the words of the transcript: the same replacements
   * and the same labels, continued where the message names what the lines did not.
   */
  normalize(text: string): string {
    let s = text;
    for (const [from, to] of this.replaced) if (from) s = s.split(from).join(to);
    s = s
      .replace(TIMESTAMP, '<timestamp>')
      .replace(LOOPBACK_PORT, '$1:<port>')
      .replace(LIBPQ_PORT, '$1<port>')
      .replace(ODYSSEY_CONNECTION_ID, '$1$2<id>')
      .replace(OPENSSL_THREAD, '<thread>$1');
    s = s.replace(STORED_SECRET, (_, scram?: string, md5?: string) => `${scram ?? md5 ?? ''}<secret>`);
    s = s.replace(GENERATED_NAME, (_, what: string, quote: string, name: string) => {
      if (!this.names.has(name)) this.names.set(name, `name#${++this.counts.name}`);
      return `${what} ${quote}${this.names.get(name)!}${quote}`;
    });
    if (!this.values.size) return s;
    this.pattern ??= new RegExp(`(?<![\\w-])(${[...this.values.keys()].join('|')})(?!\\w)`, 'g');
    const line = s;
    return s.replace(this.pattern, (v) => {
      if (isData(v, line)) return v;
      if (!this.rendered.has(v)) {
        const l = this.values.get(v)!;
        this.rendered.set(v, l.kind === 'saved' ? `$${l.name}` : `${l.kind}#${++this.counts[l.kind]}`);
      }
      return this.rendered.get(v)!;
    });
  }

  private pattern: RegExp | undefined;
}

/**
 * A number that equals an id by chance, in a line of data: rows numbered 1..20000 beside their
 * "note-13516", or a Bind of the parameters 0..65534, where one of them is a backend's pid
 * (pids run up to pid_max, 32768 on these machines). It stays as it is; otherwise which value became `pid#1`
 * would depend on the pids of the run.
 */
function isData(v: string, line: string): boolean {
  if (v.startsWith('-')) return false;
  const whole = (x: string) => new RegExp(`(?<![\\w-])${x}(?!\\w)`).test(line);
  // Five pids in a row in one line would be five sessions forked one after another: not a scenario's.
  // Glued to a word ("note-13516"); a longer number that ends in the same digits is not that.
  return new RegExp(`[A-Za-z_-]${v}(?!\\d)`).test(line) || [-2n, -1n, 1n, 2n].every((d) => whole(String(BigInt(v) + d)));
}
