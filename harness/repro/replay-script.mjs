// poolcheck's replay of one scenario, for a bug report: the scenario's client sessions run
// against PostgreSQL (DIRECT_URL) and then through the pooler (POOLED_URL), with a small wire
// client of its own (node: modules only, nothing to install), and both transcripts printed in
// poolcheck's style, each followed by the first step that did not do what PostgreSQL does.
//
//   PGPASSWORD=... node repro.mjs DIRECT_URL POOLED_URL [WIDE_URL] [--step-timeout MS]
//
// URLs are postgres://user@host:port/database; the password comes from PGPASSWORD only (never
// in a URL, which a shell history keeps). Sessions of the scenario's single pool connect to
// POOLED_URL, which should reach a pool with one server connection, as poolcheck's single pool
// does; sessions of its wide pool connect to WIDE_URL (default: POOLED_URL). Setup, teardown
// and the observer's queries run on DIRECT_URL. Exit code: 0 both behave as PostgreSQL should,
// 1 the pooler differs (the bug reproduces), 2 PostgreSQL itself did not do what the scenario
// expects, or bad usage.
//
// `poolcheck repro` writes this file with the scenario in SCENARIO below; the copy in poolcheck's
// harness/repro/ is the template and has none. poolcheck loads the .mjs files of a case folder as
// case modules: this one defines no case (its default export is an empty list) and runs only as
// a program.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { pathToFileURL } from 'node:url';

const SCENARIO = /*@scenario*/ null;

export default [];

// ---------------------------------------------------------------------------------------------
// Rendering, as poolcheck's transcripts read (harness/wire/messages.ts)

const clip = (s, max = 300) => (s.length <= max ? s : `${s.slice(0, 120)}...(${s.length} chars)`);
const q = (s) => JSON.stringify(clip(s));
const show = (v) => JSON.stringify(v);
const isBytes = (v) => !!v && typeof v === 'object' && typeof v.hex === 'string';
const hexOf = (v) => v.hex.replace(/\s+/g, '').toLowerCase();
const renderValue = (v) => {
  if (v === null) return 'null';
  if (typeof v === 'string') return q(v);
  const hex = hexOf(v);
  return hex.length <= 128 ? `x'${hex}'` : `x'${hex.slice(0, 64)}'...(${hex.length / 2} bytes)`;
};
const values = (vs) => `[${vs.map(renderValue).join(',')}]`;
const formats = (name, fs) => (fs ? `, ${name}=[${fs.join(',')}]` : '');
const textOf = (v) => (isBytes(v) ? `\\x${hexOf(v)}` : v);

function renderFrontend(m) {
  switch (m.type) {
    case 'Query':
      return `Query(${q(m.sql)})`;
    case 'Parse':
      return `Parse(stmt=${q(m.name ?? '')}, query=${q(m.sql)})`;
    case 'Bind':
      return `Bind(portal=${q(m.portal ?? '')}, stmt=${q(m.statement ?? '')}, params=${values(m.params ?? [])}${formats('paramFormats', m.paramFormats)}${formats('resultFormats', m.resultFormats)})`;
    case 'Describe':
      return `Describe(${m.kind === 'S' ? 'stmt' : 'portal'}=${q(m.name ?? '')})`;
    case 'Execute':
      return `Execute(portal=${q(m.portal ?? '')}, rows=${m.maxRows ?? 0})`;
    case 'Close':
      return `Close(${m.kind === 'S' ? 'stmt' : 'portal'}=${q(m.name ?? '')})`;
    case 'CopyData':
      return `CopyData(${typeof m.data === 'string' ? q(m.data) : renderValue(m.data)})`;
    case 'CopyFail':
      return `CopyFail(${q(m.message)})`;
    case 'FunctionCall':
      return `FunctionCall(function=${typeof m.function === 'number' ? m.function : q(m.function)}, args=${values(m.args ?? [])}${formats('argFormats', m.argFormats)}, result=${m.resultFormat ?? 'text'})`;
    case 'RawMessage':
      return `RawMessage(code=${q(m.code)}${m.length === undefined ? '' : `, length=${m.length}`}, payload=${typeof (m.payload ?? '') === 'string' ? q(m.payload ?? '') : renderValue(m.payload)})`;
    case 'RawBytes':
      return `RawBytes(${renderValue({ hex: m.hex })})`;
    default:
      return m.type;
  }
}

const protocolText = (n) => `${Math.floor(n / 65536)}.${n % 65536}`;
const renderKey = (key) => (key.length === 4 ? '<secret>' : `<secret of ${key.length} bytes>`);

function renderBackend(m) {
  switch (m.type) {
    case 'ErrorResponse':
    case 'NoticeResponse':
      return `${m.type}(S=${m.severity}, C=${m.code}, M=${q(m.message)})`;
    case 'ParameterStatus':
      return `ParameterStatus(${m.name}=${q(m.value)})`;
    case 'BackendKeyData':
      return `BackendKeyData(pid=${m.pid}, key=${renderKey(m.key)})`;
    case 'NotificationResponse':
      return `NotificationResponse(pid=${m.pid}, channel=${q(m.channel)}, payload=${q(m.payload)})`;
    case 'ReadyForQuery':
      return `ReadyForQuery(${m.status})`;
    case 'CommandComplete':
      return `CommandComplete(${q(m.tag)})`;
    case 'DataRow':
      return `DataRow(${values(m.values)})`;
    case 'CopyData':
      return `CopyData(${typeof m.data === 'string' ? q(m.data) : renderValue(m.data)})`;
    case 'RowDescription':
      return `RowDescription(${JSON.stringify(m.columns)}${m.formats.includes('binary') ? formats('formats', m.formats) : ''})`;
    case 'ParameterDescription':
      return `ParameterDescription(${JSON.stringify(m.types)})`;
    case 'CopyInResponse':
    case 'CopyOutResponse':
    case 'CopyBothResponse':
      return m.binary ? `${m.type}(binary)` : m.type;
    case 'FunctionCallResponse':
      return `FunctionCallResponse(${renderValue(m.value)})`;
    case 'NegotiateProtocolVersion':
      return `NegotiateProtocolVersion(version=${protocolText(m.version)}, options=${JSON.stringify(m.options)})`;
    default:
      return m.type;
  }
}

/** One run's lines; pids become pid#1, pid#2 by first appearance and run-specific names their templates when printed. */
class Transcript {
  lines = [];
  pids = new Set();
  fe(s, text) {
    this.lines.push(`${s} FE=> ${text}`);
  }
  be(s, text) {
    this.lines.push(`${s} <= BE ${text}`);
  }
  note(s, text) {
    this.lines.push(`${s} -- ${text}`);
  }
  pid(v) {
    if (v !== undefined && v !== null && /^-?\d+$/.test(String(v)) && Number(v) !== 0) this.pids.add(String(v));
  }
  render(replace) {
    const labels = new Map();
    const pattern = this.pids.size ? new RegExp(`(?<![\\w-])(${[...this.pids].join('|')})(?!\\w)`, 'g') : undefined;
    return this.lines
      .map((line) => {
        let s = line;
        for (const [from, to] of replace) s = s.split(from).join(to);
        s = s.replace(/\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d(?::\d\d)?|Z)?/g, '<timestamp>');
        return pattern
          ? s.replace(pattern, (p) => {
              if (!labels.has(p)) labels.set(p, `pid#${labels.size + 1}`);
              return labels.get(p);
            })
          : s;
      })
      .join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Messages to bytes: https://www.postgresql.org/docs/current/protocol-message-formats.html

class Body {
  parts = [];
  int16(n) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return this.add(b);
  }
  int32(n) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return this.add(b);
  }
  cstring(s) {
    return this.add(Buffer.from(s)).add(Buffer.from([0]));
  }
  add(b) {
    this.parts.push(b);
    return this;
  }
  frame(code, length) {
    const body = Buffer.concat(this.parts);
    const head = Buffer.alloc(5);
    head.write(code, 0, 'latin1');
    head.writeInt32BE(length ?? body.length + 4, 1);
    return Buffer.concat([head, body]);
  }
  packet() {
    return this.frame('\0').subarray(1);
  }
}

const FORMAT = { text: 0, binary: 1 };
const encodeValue = (v) => (typeof v === 'string' ? Buffer.from(v) : Buffer.from(hexOf(v), 'hex'));
const valueFormats = (vs, given) => given ?? vs.map((v) => (isBytes(v) ? 'binary' : 'text'));
const formatCodes = (b, fs) => {
  b.int16(fs.length);
  for (const f of fs) b.int16(FORMAT[f]);
};
const valueList = (b, vs) => {
  b.int16(vs.length);
  for (const v of vs) {
    if (v === null) {
      b.int32(-1);
      continue;
    }
    const bytes = encodeValue(v);
    b.int32(bytes.length).add(bytes);
  }
};

function encode(m) {
  const b = new Body();
  switch (m.type) {
    case 'Query':
      return b.cstring(m.sql).frame('Q');
    case 'Parse':
      b.cstring(m.name ?? '')
        .cstring(m.sql)
        .int16(m.types?.length ?? 0);
      for (const t of m.types ?? []) b.int32(t);
      return b.frame('P');
    case 'Bind': {
      const params = m.params ?? [];
      b.cstring(m.portal ?? '').cstring(m.statement ?? '');
      formatCodes(b, valueFormats(params, m.paramFormats));
      valueList(b, params);
      formatCodes(b, m.resultFormats ?? ['text']);
      return b.frame('B');
    }
    case 'Describe':
      return b
        .add(Buffer.from(m.kind))
        .cstring(m.name ?? '')
        .frame('D');
    case 'Execute':
      return b
        .cstring(m.portal ?? '')
        .int32(m.maxRows ?? 0)
        .frame('E');
    case 'Close':
      return b
        .add(Buffer.from(m.kind))
        .cstring(m.name ?? '')
        .frame('C');
    case 'Flush':
      return b.frame('H');
    case 'Sync':
      return b.frame('S');
    case 'Terminate':
      return b.frame('X');
    case 'CopyData':
      return b.add(encodeValue(m.data)).frame('d');
    case 'CopyDone':
      return b.frame('c');
    case 'CopyFail':
      return b.cstring(m.message).frame('f');
    case 'FunctionCall': {
      const args = m.args ?? [];
      b.int32(Number(m.function) | 0);
      formatCodes(b, valueFormats(args, m.argFormats));
      valueList(b, args);
      return b.int16(FORMAT[m.resultFormat ?? 'text']).frame('F');
    }
    case 'RawMessage':
      return b.add(encodeValue(m.payload ?? '')).frame(m.code, m.length);
    case 'RawBytes':
      return Buffer.from(m.hex.replace(/\s+/g, ''), 'hex');
    default:
      throw new Error(`unknown message ${m.type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes to messages

/** Column formats of the rows that come next: a RowDescription's, else the last Bind's result formats. */
class Formats {
  rows = [];
  bound = [];
  functionResult = 'text';
  copyBinary = false;
  binary(i) {
    const fs = this.rows.length ? this.rows : this.bound;
    return (fs.length === 1 ? fs[0] : fs[i]) === 'binary';
  }
}

function decode(code, body, fmt) {
  let at = 0;
  const int16 = () => {
    const v = body.readInt16BE(at);
    at += 2;
    return v;
  };
  const int32 = () => {
    const v = body.readInt32BE(at);
    at += 4;
    return v;
  };
  const cstring = () => {
    const end = body.indexOf(0, at);
    const s = body.toString('utf8', at, end);
    at = end + 1;
    return s;
  };
  const fields = () => {
    const f = {};
    while (at < body.length && body[at] !== 0) {
      const k = String.fromCharCode(body[at++]);
      f[k] = cstring();
    }
    return f;
  };
  switch (code) {
    case 'R': {
      const kind = int32();
      const names = {
        0: 'AuthenticationOk',
        3: 'AuthenticationCleartextPassword',
        5: 'AuthenticationMD5Password',
        10: 'AuthenticationSASL',
        11: 'AuthenticationSASLContinue',
        12: 'AuthenticationSASLFinal',
      };
      const m = { type: names[kind] ?? `Authentication(${kind})` };
      if (kind === 5) m.salt = body.subarray(4, 8);
      if (kind === 10) {
        m.mechanisms = [];
        for (let s = cstring(); s; s = cstring()) m.mechanisms.push(s);
      }
      if (kind === 11 || kind === 12) m.data = body.toString('utf8', 4);
      return m;
    }
    case 'E':
    case 'N': {
      const f = fields();
      return { type: code === 'E' ? 'ErrorResponse' : 'NoticeResponse', severity: f.V ?? f.S ?? null, code: f.C ?? null, message: f.M ?? '' };
    }
    case 'S':
      return { type: 'ParameterStatus', name: cstring(), value: cstring() };
    case 'K':
      return { type: 'BackendKeyData', pid: int32(), key: body.subarray(4) };
    case 'A':
      return { type: 'NotificationResponse', pid: int32(), channel: cstring(), payload: cstring() };
    case 'Z':
      return { type: 'ReadyForQuery', status: String.fromCharCode(body[0]) };
    case 'C':
      return { type: 'CommandComplete', tag: cstring() };
    case 'T': {
      const n = int16();
      const columns = [];
      const fs = [];
      for (let i = 0; i < n; i++) {
        columns.push(cstring());
        at += 16;
        fs.push(int16() === 1 ? 'binary' : 'text');
      }
      fmt.rows = fs;
      return { type: 'RowDescription', columns, formats: fs };
    }
    case 'D': {
      const n = int16();
      const vs = [];
      for (let i = 0; i < n; i++) {
        const len = int32();
        if (len < 0) {
          vs.push(null);
          continue;
        }
        const raw = body.subarray(at, at + len);
        at += len;
        vs.push(fmt.binary(i) ? { hex: raw.toString('hex') } : raw.toString('utf8'));
      }
      return { type: 'DataRow', values: vs };
    }
    case 't': {
      const n = int16();
      const types = [];
      for (let i = 0; i < n; i++) types.push(String(body.readUInt32BE(2 + 4 * i)));
      return { type: 'ParameterDescription', types };
    }
    case 'G':
    case 'H':
    case 'W':
      fmt.copyBinary = body[0] === 1;
      return { type: { G: 'CopyInResponse', H: 'CopyOutResponse', W: 'CopyBothResponse' }[code], ...(body[0] === 1 ? { binary: true } : {}) };
    case 'd':
      return { type: 'CopyData', data: fmt.copyBinary ? { hex: body.toString('hex') } : body.toString('utf8') };
    case 'V': {
      const len = int32();
      const value = body.subarray(4, 4 + Math.max(len, 0));
      return {
        type: 'FunctionCallResponse',
        value: len < 0 ? null : fmt.functionResult === 'binary' ? { hex: value.toString('hex') } : value.toString('utf8'),
      };
    }
    case 'v': {
      const version = int32();
      const n = int32();
      const options = [];
      for (let i = 0; i < n; i++) options.push(cstring());
      return { type: 'NegotiateProtocolVersion', version, options };
    }
    default: {
      const names = {
        1: 'ParseComplete',
        2: 'BindComplete',
        3: 'CloseComplete',
        c: 'CopyDone',
        I: 'EmptyQueryResponse',
        n: 'NoData',
        s: 'PortalSuspended',
      };
      return { type: names[code] ?? `Unknown(${JSON.stringify(code)})` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Authentication: SCRAM-SHA-256 (RFC 5802, 7677), md5, cleartext; trust needs none.
// https://www.postgresql.org/docs/current/sasl-authentication.html

const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const sha256 = (data) => createHash('sha256').update(data).digest();
const scramAttributes = (s) => new Map(s.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));

function scram(password) {
  const nonce = randomBytes(18).toString('base64');
  const first = `n=,r=${nonce}`;
  let expected;
  return {
    initial: `n,,${first}`,
    respond(serverFirst) {
      const a = scramAttributes(serverFirst);
      const salted = pbkdf2Sync(password.normalize('NFKC'), Buffer.from(a.get('s') ?? '', 'base64'), Number(a.get('i')), 32, 'sha256');
      if (!a.get('r')?.startsWith(nonce)) throw new Error('SCRAM: the server nonce does not extend ours');
      const clientKey = hmac(salted, 'Client Key');
      const bare = `c=biws,r=${a.get('r')}`;
      const auth = `${first},${serverFirst},${bare}`;
      const signature = hmac(sha256(clientKey), auth);
      expected = hmac(hmac(salted, 'Server Key'), auth);
      return `${bare},p=${Buffer.from(clientKey.map((b, i) => b ^ signature[i])).toString('base64')}`;
    },
    verify(serverFinal) {
      const v = Buffer.from(scramAttributes(serverFinal).get('v') ?? '', 'base64');
      if (!expected || v.length !== expected.length || !timingSafeEqual(v, expected)) throw new Error('SCRAM: the server signature does not match');
    },
  };
}

const md5 = (s) => createHash('md5').update(s).digest('hex');

// ---------------------------------------------------------------------------------------------
// A connection: start-up, then messages in and out, every one in the transcript.

class Lost extends Error {}
class Deadline extends Error {}

/** Where each extended-query message's reply ends (harness/wire/reply-accounting.ts). */
const LAST_REPLY = {
  Parse: ['ParseComplete'],
  Bind: ['BindComplete'],
  Close: ['CloseComplete'],
  Describe: ['RowDescription', 'NoData'],
  Execute: ['CommandComplete', 'EmptyQueryResponse', 'PortalSuspended', 'CopyInResponse'],
};
const ASIDE = new Set(['NoticeResponse', 'ParameterStatus', 'NotificationResponse']);
/** The authentication requests a client must answer, where an abandoned login drops its socket (harness/wire/connection.ts). */
const ASKS_FOR_CREDENTIALS = new Set(['AuthenticationCleartextPassword', 'AuthenticationMD5Password', 'AuthenticationSASL']);

/** The index of the last message of PostgreSQL's reply to `sent` in `inbox`, or -1 while some of it is missing. */
function replyEnd(sent, inbox) {
  let i = 0;
  let discarding = false;
  let copyIn;
  const upTo = (last, errorEnds) => {
    for (; i < inbox.length; i++) {
      const t = inbox[i].type;
      if (ASIDE.has(t)) continue;
      if (errorEnds && t === 'ErrorResponse') {
        i++;
        return 'error';
      }
      if (last.includes(t)) {
        i++;
        return t;
      }
    }
    return 'pending';
  };
  const query = () => {
    const got = upTo(['ReadyForQuery', 'CopyInResponse'], false);
    copyIn = got === 'CopyInResponse' ? 'query' : undefined;
    return got !== 'pending';
  };
  for (const m of sent) {
    if (copyIn && ['CopyData', 'Flush', 'Sync'].includes(m.type)) continue;
    if (copyIn && (m.type === 'CopyDone' || m.type === 'CopyFail')) {
      if (copyIn === 'query') {
        if (!query()) return -1;
      } else {
        const got = upTo(['CommandComplete'], true);
        if (got === 'pending') return -1;
        discarding = got === 'error';
        copyIn = undefined;
      }
      continue;
    }
    if (LAST_REPLY[m.type]) {
      if (discarding) continue;
      const got = upTo(LAST_REPLY[m.type], true);
      if (got === 'pending') return -1;
      if (got === 'error') discarding = true;
      if (m.type === 'Execute' && got === 'CopyInResponse') copyIn = 'execute';
    } else if (m.type === 'Query' || m.type === 'FunctionCall') {
      if (!discarding && !query()) return -1;
    } else if (m.type === 'Sync') {
      if (upTo(['ReadyForQuery'], false) === 'pending') return -1;
      discarding = false;
    }
  }
  return i - 1;
}

class Connection {
  inbox = [];
  waiters = new Set();
  closed = undefined;
  parameters = new Map();
  parameterLog = [];
  notices = [];
  notifications = [];
  loginMessages = [];
  chunks = [];
  size = 0;
  fmt = new Formats();

  constructor(socket, label, transcript, where) {
    this.socket = socket;
    this.label = label;
    this.transcript = transcript;
    this.where = where;
    socket.setNoDelay?.(true);
    socket.on('data', (chunk) => this.received(chunk));
    socket.on('error', (e) => this.close(`socket error: ${e.message}`));
    socket.on('close', () => this.close('the server closed the connection'));
  }

  close(why) {
    this.closed ??= why;
    this.wake();
  }
  wake() {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  /** Frames out of the bytes received; a large frame's chunks are joined once, when it is whole. */
  received(chunk) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size >= 5) {
      if (this.chunks[0].length < 5) this.chunks = [Buffer.concat(this.chunks)];
      const length = this.chunks[0].readInt32BE(1);
      if (length < 4) {
        this.transcript.note(this.label, "cannot read the server's bytes any more: a length word under 4");
        this.socket.destroy();
        break;
      }
      if (this.size < 1 + length) break;
      const buffer = this.chunks.length > 1 ? Buffer.concat(this.chunks) : this.chunks[0];
      const m = decode(String.fromCharCode(buffer[0]), buffer.subarray(5, 1 + length), this.fmt);
      const rest = buffer.subarray(1 + length);
      this.chunks = rest.length ? [rest] : [];
      this.size = rest.length;
      this.transcript.be(this.label, renderBackend(m));
      if (m.type === 'ParameterStatus') {
        this.parameters.set(m.name, m.value);
        this.parameterLog.push([m.name, m.value]);
      }
      if (m.type === 'BackendKeyData') {
        this.pid = m.pid;
        this.key = Buffer.from(m.key);
        this.transcript.pid(m.pid);
      }
      if (m.type === 'NoticeResponse') this.notices.push(String(m.code));
      if (m.type === 'NotificationResponse') {
        this.notifications.push(m);
        this.transcript.pid(m.pid);
      }
      if (m.type === 'ReadyForQuery' || m.type === 'ErrorResponse') {
        this.fmt.rows = [];
        this.fmt.copyBinary = false;
      }
      this.inbox.push(m);
    }
    this.wake();
  }

  async read(done, ms, what) {
    const deadline = Date.now() + ms;
    while (!done(this.inbox)) {
      if (this.closed) throw new Lost(`${this.label}: ${this.closed} while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Deadline(`${this.label}: no answer within ${ms}ms waiting for ${what}`);
      await new Promise((resolve) => {
        const w = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiters.delete(w);
          resolve();
        }, left);
        this.waiters.add(w);
      });
    }
    return this.inbox;
  }

  send(messages) {
    if (this.closed) throw new Lost(`${this.label}: ${this.closed} before sending`);
    for (const m of messages) {
      this.transcript.fe(this.label, renderFrontend(m));
      if (m.type === 'Bind') this.fmt.bound = m.resultFormats ?? ['text'];
      if (m.type === 'FunctionCall') this.fmt.functionResult = m.resultFormat ?? 'text';
    }
    this.socket.write(Buffer.concat(messages.map(encode)));
  }

  /** Logs in; with `abandon`, drops the socket when first asked for credentials and returns what was asked. */
  async login(user, password, database, params, protocol, ms, abandon) {
    const startup = new Body().int32(protocol);
    for (const [k, v] of Object.entries({ user, database, ...params, client_encoding: 'UTF8' })) startup.cstring(k).cstring(v);
    this.transcript.fe(
      this.label,
      `StartupMessage(${protocol === 196608 ? '' : `version=${protocolText(protocol)}, `}user=${q(user)}, database=${q(database)}${Object.entries(
        params,
      )
        .map(([k, v]) => `, ${k}=${q(v)}`)
        .join('')})`,
    );
    this.socket.write(startup.add(Buffer.from([0])).packet());
    let sasl;
    const need = () => {
      if (password === undefined) throw new Error(`${this.label}: the server asks for a password: set PGPASSWORD`);
      return password;
    };
    for (;;) {
      const [m] = await this.read((ms_) => ms_.length > 0, ms, 'authentication and ReadyForQuery');
      this.inbox.shift();
      this.loginMessages.push(m);
      if (abandon && ASKS_FOR_CREDENTIALS.has(m.type)) {
        this.transcript.note(this.label, `drop the socket instead of answering ${m.type}`);
        this.socket.destroy();
        return m.type;
      }
      const reply = (code, body, shown) => {
        this.transcript.fe(this.label, shown);
        this.socket.write(body.frame(code));
      };
      if (m.type === 'AuthenticationCleartextPassword') reply('p', new Body().cstring(need()), 'PasswordMessage(<hidden>)');
      if (m.type === 'AuthenticationMD5Password')
        reply('p', new Body().cstring(`md5${md5(Buffer.concat([Buffer.from(md5(need() + user)), m.salt]))}`), 'PasswordMessage(md5 <hidden>)');
      if (m.type === 'AuthenticationSASL') {
        if (!m.mechanisms.includes('SCRAM-SHA-256'))
          throw new Error(`${this.label}: the server offers SASL ${m.mechanisms.join(', ')}, not SCRAM-SHA-256`);
        sasl = scram(need());
        const initial = Buffer.from(sasl.initial);
        reply('p', new Body().cstring('SCRAM-SHA-256').int32(initial.length).add(initial), 'SASLInitialResponse(SCRAM-SHA-256)');
      }
      if (m.type === 'AuthenticationSASLContinue') reply('p', new Body().add(Buffer.from(sasl.respond(m.data))), 'SASLResponse(<proof>)');
      if (m.type === 'AuthenticationSASLFinal') sasl.verify(m.data);
      if (m.type === 'ErrorResponse')
        throw Object.assign(new Error(`${this.label}: connection refused: ${m.message}`), { sqlstate: m.code, severity: m.severity });
      if (m.type === 'ReadyForQuery') return undefined;
    }
  }

  /** Sends a message list and reads PostgreSQL's reply to it (or up to `until`, or until the server closes). */
  async exchange(messages, until, ms) {
    this.inbox.splice(0);
    this.send(messages);
    if (messages.some((m) => m.type === 'Terminate') || until === 'close') return this.drain(ms);
    const owed = messages.filter((m) => ['Sync', 'Query', 'FunctionCall'].includes(m.type)).length;
    const end = (inbox) => {
      if (until) return inbox.findIndex((m) => m.type === until);
      let seen = 0;
      const counted = inbox.findIndex((m) => m.type === 'ReadyForQuery' && ++seen === owed);
      const accounted = replyEnd(messages, inbox);
      return counted < 0 ? accounted : accounted < 0 ? counted : Math.min(counted, accounted);
    };
    await this.read((inbox) => end(inbox) >= 0, ms, until ?? `the reply to ${owed} Sync/Query`);
    return this.inbox.splice(0, end(this.inbox) + 1);
  }

  async receive(until, ms) {
    if (typeof until === 'object') {
      await this.read(() => false, until.forMs, 'messages').catch((e) => {
        if (!(e instanceof Deadline) && !(e instanceof Lost)) throw e;
      });
      return this.inbox.splice(0);
    }
    if (until === 'close') return this.drain(ms);
    await this.read((inbox) => inbox.some((m) => m.type === until), ms, until);
    return this.inbox.splice(0, this.inbox.findIndex((m) => m.type === until) + 1);
  }

  async drain(ms) {
    await this.read(() => this.closed !== undefined, ms, 'the server to close the connection').catch((e) => {
      if (!(e instanceof Lost)) throw e;
    });
    return this.inbox.splice(0);
  }

  /** CancelRequest on a connection of its own; the server closes it once handled, or with `hangUp` the client at once. */
  async cancel(pid, key, forged, hangUp, ms) {
    const socket = await dial(this.where, ms, 'the CancelRequest connection');
    this.transcript.fe(this.label, `CancelRequest(pid=${pid}, key=${forged ? '<wrong secret>' : renderKey(key)}) on a new connection`);
    this.transcript.pid(pid);
    const closed = new Promise((resolve) => {
      socket.on('close', resolve);
      socket.on('error', resolve);
    });
    const request = new Body().int32(80877102).int32(pid).add(key).packet();
    if (hangUp) {
      this.transcript.fe(this.label, 'the CancelRequest connection closed by the client at once');
      socket.end(request);
    } else socket.write(request);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, ms))]);
    socket.destroy();
  }

  async terminate() {
    if (this.closed) return;
    this.transcript.fe(this.label, 'Terminate');
    this.socket.end(new Body().frame('X'));
    await this.read(() => this.closed !== undefined, 2000, 'the connection to close').catch(() => this.socket.destroy());
  }
}

function dial(where, ms, what) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: where.host, port: where.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Deadline(`no ${what} within ${ms}ms`));
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${what} to ${where.host}:${where.port} failed: ${e.message}`));
    });
  });
}

/** SSLRequest, the server's one-byte answer, then TLS on the same socket (sslmode=require: no certificate check). */
async function startTls(socket, label, transcript, ms) {
  transcript.fe(label, 'SSLRequest');
  socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]));
  const answer = await new Promise((resolve, reject) => {
    socket.once('data', (d) => resolve(String.fromCharCode(d[0])));
    socket.once('error', reject);
    setTimeout(() => reject(new Deadline(`${label}: no answer to SSLRequest within ${ms}ms`)), ms);
  });
  transcript.be(label, `SSLResponse(${answer})`);
  if (answer !== 'S') throw new Error(`${label}: the server refused TLS`);
  const secure = tls.connect({ socket, rejectUnauthorized: false });
  await new Promise((resolve, reject) => {
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
  });
  transcript.note(label, `TLS established (${secure.getProtocol()})`);
  return secure;
}

async function connect(where, opts) {
  let socket = await dial(where, opts.ms, `${opts.label}: TCP connect`);
  if (opts.tls) socket = await startTls(socket, opts.label, opts.transcript, opts.ms);
  const conn = new Connection(socket, opts.label, opts.transcript, where);
  try {
    conn.abandonedAt = await conn.login(opts.user, opts.password, where.database, opts.params, opts.protocol, opts.ms, opts.abandon);
  } catch (e) {
    socket.destroy();
    throw e;
  }
  return conn;
}

// ---------------------------------------------------------------------------------------------
// Expectations, as poolcheck checks them (harness/scenario/expectations.ts)

const RELEASE = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/;

/** `version` against a release written with as many parts as `written` has ('16' is any 16.x: semver's partial versions). */
function comparePrefix(version, written) {
  const m = RELEASE.exec(written);
  const parts = m
    .slice(1)
    .filter((x) => x !== undefined)
    .map(Number);
  for (const [i, n] of parts.entries()) if (version[i] !== n) return version[i] - n;
  return 0;
}

/** A release range as profiles write them ('>=17', '<18', '15 - 16', '>=15 <17', '15 || 17'). */
function inRange(versionText, range) {
  const m = RELEASE.exec(versionText ?? '');
  if (!m) return false;
  const v = m.slice(1).map((x) => Number(x ?? 0));
  return range.split('||').some((alt) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alt);
    if (hyphen) return comparePrefix(v, hyphen[1]) >= 0 && comparePrefix(v, hyphen[2]) <= 0;
    return alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => {
        const [, op, rest] = /^(>=|<=|>|<|=)?(.*)$/.exec(c);
        const d = comparePrefix(v, rest);
        return op === '>=' ? d >= 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : op === '<' ? d < 0 : d === 0;
      });
  });
}

const label = (m) => {
  if (m.type === 'ErrorResponse') return `ErrorResponse:${m.code}`;
  if (m.type === 'ReadyForQuery') return `ReadyForQuery:${m.status}`;
  if (m.type === 'BackendKeyData') return `BackendKeyData:${m.key.length}`;
  if (m.type === 'NegotiateProtocolVersion') return `NegotiateProtocolVersion:${protocolText(m.version)}`;
  return m.type;
};

/** Rows, the first error, tags, from a reply. */
function resultOf(messages) {
  const rows = messages.filter((m) => m.type === 'DataRow').map((m) => m.values);
  const fcr = messages.find((m) => m.type === 'FunctionCallResponse');
  const error = messages.find((m) => m.type === 'ErrorResponse');
  const tags = messages.filter((m) => m.type === 'CommandComplete').map((m) => m.tag);
  return { rows: fcr ? [[fcr.value]] : rows, error, tags, messages };
}

function summarize(r) {
  if (r.kind === 'done') return 'done';
  if (r.kind === 'notification') return r.notification ? `notification ${show(r.notification.payload)}` : 'no notification';
  const msgs = r.labels ? ` [${r.messages.map(label).join(', ')}]` : '';
  if (r.error) return clip(`ERROR ${r.error.code}: ${r.error.message}${msgs}`, 400);
  return clip(`${r.rows.length ? `rows ${show(r.rows)}` : (r.tags.at(-1) ?? 'no rows')}${msgs}`, 400);
}

const saved = (v, s) => (/^\$\w+$/.test(v) ? s.get(v.slice(1)) : v);
const cellMatches = (e, a, s) =>
  e === '*'
    ? true
    : typeof e === 'string' && /^\$\w+$/.test(e)
      ? textOf(a) === s.get(e.slice(1))
      : isBytes(e) || isBytes(a)
        ? isBytes(e) && isBytes(a) && hexOf(e) === hexOf(a)
        : e === a;

/** What differs from the expectation, in words; undefined when it holds. A step that expects nothing still fails on an error. */
function check(e, r, s, conn, aside) {
  if (e.notices && show(aside.notices) !== show(e.notices) && !(e.anyOrder && show([...aside.notices].sort()) === show([...e.notices].sort())))
    return `expected notices ${show(e.notices)}, received ${show(aside.notices)}`;
  if (r.kind === 'notification') {
    if (e.notification === null) return r.notification ? `expected no notification, got payload ${show(r.notification.payload)}` : undefined;
    if (!r.notification) return 'expected a notification, none arrived before the deadline';
    if (e.notification?.payload !== undefined && r.notification.payload !== e.notification.payload)
      return `expected payload ${show(e.notification.payload)}`;
    if (e.notification?.pidEquals !== undefined && String(r.notification.pid) !== saved(e.notification.pidEquals, s))
      return `expected the notification's pid to be ${e.notification.pidEquals}`;
    return undefined;
  }
  if (r.kind === 'query') {
    if (e.messages) {
      const got = r.messages.filter((m) => !ASIDE.has(m.type)).map(label);
      if (got.length !== e.messages.length || !e.messages.every((x, i) => x === got[i] || (!x.includes(':') && got[i].startsWith(`${x}:`))))
        return `expected messages ${e.messages.join(', ')}`;
    } else if (e.error) {
      if (!r.error) return `expected ERROR ${e.error}`;
      if (r.error.code !== e.error) return `expected ERROR ${e.error}`;
    } else if (r.error) return 'expected success';
    if (
      e.rows &&
      !(
        r.rows.length === e.rows.length &&
        e.rows.every((row, i) => row.length === r.rows[i].length && row.every((c, j) => cellMatches(c, r.rows[i][j], s)))
      )
    ) {
      return `expected rows ${show(e.rows.map((row) => row.map((c) => (typeof c === 'string' && /^\$\w+$/.test(c) ? `${c}=${s.get(c.slice(1))}` : c))))}`;
    }
    if (e.commandTags && show(r.tags) !== show(e.commandTags)) return `expected command tags ${show(e.commandTags)}, got ${show(r.tags)}`;
    if (e.rowCount !== undefined && r.rows.length !== e.rowCount) return `expected ${e.rowCount} row(s)`;
    const first = textOf(r.rows[0]?.[0] ?? null);
    if (e.equals !== undefined && first !== saved(e.equals, s))
      return `expected ${e.equals}${e.equals.startsWith('$') ? ` (${saved(e.equals, s)})` : ''}`;
    if (e.notEquals !== undefined && first === saved(e.notEquals, s)) return `expected a value other than ${e.notEquals} (${saved(e.notEquals, s)})`;
  }
  if (e.parameterStatusMessages) {
    const same = (x, g) => x[0] === g[0] && cellMatches(x[1], g[1], s);
    const left = [...aside.parameterStatuses];
    const got = e.anyOrder
      ? [
          ...e.parameterStatusMessages.flatMap((x) => {
            const i = left.findIndex((g) => same(x, g));
            return i < 0 ? [] : left.splice(i, 1);
          }),
          ...left,
        ]
      : aside.parameterStatuses;
    if (got.length !== e.parameterStatusMessages.length || !e.parameterStatusMessages.every((x, i) => same(x, got[i])))
      return `expected ParameterStatus messages ${show(e.parameterStatusMessages)}, received ${show(aside.parameterStatuses)}`;
  }
  for (const [name, want] of Object.entries(e.parameterStatus ?? {})) {
    const got = conn?.parameters.get(name) ?? null;
    const w = want === null ? null : (saved(want, s) ?? want);
    if (got !== w) return `expected ParameterStatus ${name}=${show(w)}, the session holds ${show(got)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The scenario, run once against one set of URLs

const OBSERVER = 'observer';

// Each kind of step, run as poolcheck runs it (harness/scenario/step-kinds.ts): on the session's
// connection, on its name only, or on the observer. The scenario says which kinds poolcheck does
// not let this script replay (notReplayed); a unit test holds these tables to poolcheck's kinds.

const queryOf = (messages) => ({ kind: 'query', labels: true, ...resultOf(messages) });
const done = { kind: 'done' };

/** Kinds that run on the session's connection, which logs in on its first step. */
const ON_SESSION = {
  async sql(run, st, conn, timeout) {
    const sql = run.expand(st.sql);
    const params = st.params?.map((p) => run.expand(p));
    const r = await conn.exchange(
      params?.length
        ? [{ type: 'Parse', sql }, { type: 'Bind', params }, { type: 'Describe', kind: 'P' }, { type: 'Execute' }, { type: 'Sync' }]
        : [{ type: 'Query', sql }],
      undefined,
      timeout,
    );
    return { ...queryOf(r), labels: false };
  },
  async named(run, st, conn, timeout) {
    const n = run.expandDeep(st.named);
    conn.prepared ??= new Set();
    const parse = conn.prepared.has(n.name) ? [] : [{ type: 'Parse', name: n.name, sql: n.sql }];
    const r = resultOf(
      await conn.exchange(
        [
          ...parse,
          { type: 'Bind', statement: n.name, params: n.params ?? [] },
          { type: 'Describe', kind: 'P' },
          { type: 'Execute' },
          { type: 'Sync' },
        ],
        undefined,
        timeout,
      ),
    );
    if (!r.error || r.error.code === '42P05') conn.prepared.add(n.name);
    return { kind: 'query', ...r };
  },
  async messages(run, st, conn, timeout) {
    const messages = await Promise.all(
      run.expandDeep(st.messages).map(async (m) => {
        if (m.type !== 'FunctionCall' || typeof m.function === 'number' || /^\d+$/.test(m.function)) return m;
        const oid = (await run.observe(`SELECT '${m.function.replace(/'/g, "''")}'::${m.function.includes('(') ? 'regprocedure' : 'regproc'}::oid`))
          .rows[0]?.[0];
        run.transcript.note(OBSERVER, `${m.function} is function ${oid}`);
        return { ...m, function: Number(oid) };
      }),
    );
    const r = await conn.exchange(messages, st.until, timeout);
    if (messages.some((m) => m.type === 'Terminate')) run.forget(st.session);
    return queryOf(r);
  },
  async read(_run, st, conn, timeout) {
    return queryOf(await conn.receive(st.read, timeout));
  },
  async connect(_run, st, conn) {
    return st.expect?.messages ? queryOf(conn.loginMessages) : done;
  },
  async cancel(run, st, conn, timeout) {
    if (st.cancel === true) await conn.cancel(conn.pid, conn.key, false, false, timeout);
    else {
      const key =
        st.cancel.secret === 'own' ? conn.key : Buffer.from(conn.key.map((b, i) => (i === conn.key.length - 1 ? (b ^ 0x5a) | 1 : b ^ 0x5a)));
      const pid = Number(run.saved.get(st.cancel.pid.replace(/^\$/, '')));
      await conn.cancel(pid, key, st.cancel.secret !== 'own', st.cancel.hangUp === true, timeout);
    }
    return done;
  },
  async waitNotification(run, st, conn, timeout) {
    const channel = run.expand(st.waitNotification.includes('{{') ? st.waitNotification : `{{${st.waitNotification}}}`);
    const on = (n) => n.channel === channel;
    // Nothing arriving within the deadline is an answer too (expect.notification: null).
    await conn
      .read(() => conn.notifications.some(on), timeout, 'a notification')
      .catch((e) => {
        if (!(e instanceof Deadline)) throw e;
      });
    const i = conn.notifications.findIndex(on);
    return { kind: 'notification', notification: i < 0 ? undefined : conn.notifications.splice(i, 1)[0] };
  },
};

/** Kinds that run on the session's name: they make no session of their own. */
const ON_NAME = {
  async await(run, st) {
    const r = await run.background.get(st.await);
    run.background.delete(st.await);
    if (r.failed) throw r.failed;
    return r;
  },
  async disconnect(run, st) {
    const conn = run.sessions.get(st.session);
    run.forget(st.session);
    run.transcript.note(st.session, st.disconnect === 'abrupt' ? 'drop the socket without Terminate' : 'close');
    if (conn && st.disconnect === 'abrupt') conn.socket.destroy();
    else await conn?.terminate();
    return done;
  },
  async abandonLogin(run, st) {
    await run.session(st.session, true);
    return done;
  },
};

/** Kinds the observer (the direct connection) runs. */
const ON_OBSERVER = {
  async sql(run, st) {
    return { kind: 'query', ...(await run.observe(st.sql)) };
  },
  async waitFor(run, st, timeout) {
    const want = show(
      st.waitFor.rows.map((row) => row.map((c) => (typeof c === 'string' && /^\$\w+$/.test(c) ? (run.saved.get(c.slice(1)) ?? c) : c))),
    );
    const deadline = Date.now() + timeout;
    let last = '';
    for (;;) {
      const r = await run.observe(st.waitFor.sql);
      last = r.error ? `ERROR ${r.error.code}` : show(r.rows);
      if (last === want) return done;
      if (Date.now() > deadline) return { kind: 'done', failure: `observer waited ${timeout}ms for ${want}, last saw ${last}` };
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  },
};

/** The kinds this script replays, by where each runs. */
export const REPLAYED = { session: Object.keys(ON_SESSION), name: Object.keys(ON_NAME), observer: Object.keys(ON_OBSERVER) };

function replayOf(table, st) {
  if (!Object.hasOwn(table, st.kind)) throw new Error(`step kind ${st.kind} is not known to this script where ${st.session} runs it`);
  return table[st.kind];
}

class Run {
  transcript = new Transcript();
  saved = new Map();
  sessions = new Map();
  background = new Map();
  /** Background steps whose session was dropped: nobody reads their answer (poolcheck's runner forgets them too). */
  abandoned = [];
  names = new Map();

  constructor(side, urls, password, ms) {
    this.side = side;
    this.urls = urls;
    this.password = password;
    this.ms = ms;
    this.prefix = `repro_${randomBytes(3).toString('hex')}`;
  }

  expand(text) {
    return text
      .replace(/\{\{repeat:([^:}]*):(\d+)\}\}/g, (_, chunk, n) => chunk.repeat(Number(n)))
      .replace(/\{\{(\$?)([a-zA-Z_]\w*)\}\}/g, (_, dollar, name) => {
        if (dollar) return this.saved.get(name) ?? `{{$${name}}}`;
        if (!this.names.has(name)) this.names.set(name, `${this.prefix}_${name.toLowerCase()}`);
        return this.names.get(name);
      });
  }

  expandDeep(v) {
    if (typeof v === 'string') return this.expand(v);
    if (Array.isArray(v)) return v.map((x) => this.expandDeep(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.expandDeep(x)]));
    return v;
  }

  async observer() {
    if (!this.observerConn) {
      // The observer's own login is left out of the transcript, as poolcheck's lane connection is.
      this.observerConn = await connect(this.urls.direct, {
        label: OBSERVER,
        transcript: new Transcript(),
        user: this.urls.direct.user,
        password: this.password,
        params: {},
        protocol: 196608,
        ms: this.ms,
      });
      this.observerConn.transcript = this.transcript;
    }
    return this.observerConn;
  }

  async observe(sql) {
    const conn = await this.observer();
    return resultOf(await conn.exchange([{ type: 'Query', sql: this.expand(sql) }], undefined, this.ms));
  }

  /** The session, logged in on first use; with `abandon`, a login given up when asked for credentials, which is no session. */
  async session(name, abandon = false) {
    const existing = this.sessions.get(name);
    if (existing) return existing;
    const spec = SCENARIO.sessions[name] ?? {};
    const pool = spec.pool ?? SCENARIO.pool;
    const where = this.side === 'direct' ? this.urls.direct : pool === 'wide' ? this.urls.wide : this.urls.pooled;
    const user = spec.user === 'md5' ? SCENARIO.users.md5 : spec.user === 'trust' ? SCENARIO.users.trust : where.user;
    this.transcript.note(
      name,
      `connect to the ${this.side === 'direct' ? 'direct URL' : `${pool} pool's URL`} as ${user}${spec.password ? ' with a wrong password' : ''}${spec.tls ? ' over TLS' : ''}`,
    );
    const params = { ...(spec.applicationName ? { application_name: spec.applicationName } : {}), ...spec.startupParams };
    const conn = await connect(where, {
      label: name,
      transcript: this.transcript,
      user,
      password: spec.password === 'wrong' ? 'not-the-password' : this.password,
      params,
      protocol: protocolNumber(spec.protocol),
      tls: spec.tls,
      ms: this.ms,
      abandon,
    });
    if (abandon) {
      if (!conn.abandonedAt) {
        this.transcript.note(name, 'the server let the client in without asking for credentials');
        await conn.terminate();
      }
      return conn;
    }
    this.sessions.set(name, conn);
    this.transcript.pid(conn.pid);
    return conn;
  }

  forget(name) {
    this.sessions.delete(name);
    for (const [bg, p] of this.background) {
      if (p.session !== name) continue;
      this.background.delete(bg);
      this.abandoned.push(p);
      this.transcript.note(name, `background ${bg} abandoned: its session is being closed`);
    }
  }

  /** The step in words, as poolcheck describes it (the scenario carries the words), with this run's names and saved values. */
  describe(st) {
    return clip(this.expand(st.described), 200);
  }

  /** What a step does, run where poolcheck runs its kind; its result is a query result, a notification, or done. */
  async act(st) {
    const timeout = st.timeoutMs ?? this.ms;
    const why = SCENARIO.notReplayed[st.kind];
    if (why) {
      this.transcript.note(st.session, `${st.kind}: not run by this script (${why}): the step checks nothing`);
      return { kind: 'done', unchecked: true };
    }
    if (st.session === OBSERVER) return replayOf(ON_OBSERVER, st)(this, st, timeout);
    if (Object.hasOwn(ON_NAME, st.kind)) return ON_NAME[st.kind](this, st, timeout);
    const replay = replayOf(ON_SESSION, st);
    let conn;
    try {
      conn = await this.session(st.session);
    } catch (e) {
      // A refused login is the server's answer to the step.
      if (e.sqlstate)
        return { kind: 'query', rows: [], tags: [], messages: [], error: { code: e.sqlstate, message: e.message, severity: e.severity } };
      throw e;
    }
    return replay(this, st, conn, timeout);
  }

  /** Runs every step until the first that does not do what PostgreSQL does; returns that one's words, or undefined. */
  async steps(postgresVersion) {
    for (const [i, st] of SCENARIO.steps.entries()) {
      const what = this.describe(st);
      this.transcript.note(st.session, `step ${i + 1}: ${what}${st.background ? ` (in the background as ${st.background})` : ''}`);
      const where = `step ${i + 1} (${st.session}: ${what})`;
      if (st.background) {
        this.background.set(
          st.background,
          Object.assign(
            this.act(st).catch((failed) => ({ failed })),
            { session: st.session },
          ),
        );
        continue;
      }
      const conn = this.sessions.get(st.session);
      conn?.notices.splice(0);
      conn?.parameterLog.splice(0);
      let r;
      try {
        r = await this.act(st);
      } catch (e) {
        if (e instanceof Deadline || e instanceof Lost) return `${where}: ${e.message}`;
        throw e;
      }
      if (r.failure) return `${where}: ${r.failure}`;
      if (r.unchecked) continue;
      const session = this.sessions.get(st.session) ?? conn;
      const e = forPostgres(st.expect, postgresVersion);
      const aside = { notices: session?.notices.splice(0) ?? [], parameterStatuses: session?.parameterLog.splice(0) ?? [] };
      const failure = check(e ?? {}, r, this.saved, session, aside);
      if (failure) return `${where}: ${failure}, got ${summarize(r)}`;
      if (st.save) {
        const first = r.rows?.[0]?.[0];
        if (first === undefined || first === null) return `${where}: expected a value to save as $${st.save}, got ${summarize(r)}`;
        this.saved.set(st.save, textOf(first));
        if (st.save.toLowerCase().includes('pid')) this.transcript.pid(textOf(first));
      }
      if (st.savePid) {
        this.saved.set(st.savePid, String(session?.pid));
        this.transcript.pid(session?.pid);
      }
    }
    for (const [name, p] of this.background) {
      const r = await p;
      if (r.failed) throw r.failed;
      throw new Error(`background step ${name} was never awaited`);
    }
    return undefined;
  }

  /** Setup, the steps, then every session closed and the teardown, whatever happened. */
  async run() {
    let failure;
    try {
      // The release behind both URLs: a step may expect what a release range of PostgreSQL does (expect.postgres).
      const version = (await this.observer()).parameters.get('server_version');
      for (const sql of SCENARIO.setup ?? []) {
        const r = await this.observe(sql);
        if (r.error) throw new Error(`setup "${this.expand(sql)}" failed: ${r.error.code} ${r.error.message}`);
      }
      failure = await this.steps(version);
    } catch (e) {
      failure = `the replay stopped: ${e.message}`;
    } finally {
      for (const [name, conn] of this.sessions) {
        await conn.terminate();
        this.transcript.note(name, 'closed at the end of the scenario');
      }
      await Promise.allSettled([...this.background.values(), ...this.abandoned]);
      if (this.observerConn) for (const sql of SCENARIO.teardown ?? []) await this.observe(sql).catch(() => undefined);
      // Its end stays out of the transcript, as its login does.
      if (this.observerConn) this.observerConn.transcript = new Transcript();
      await this.observerConn?.terminate();
    }
    return failure;
  }

  /** Run-specific object names written back as their templates, as poolcheck's reports write them. */
  replacements() {
    return [...[...this.names].map(([name, real]) => [real, `{{${name}}}`]), [this.prefix, '<run>']];
  }
  rendered() {
    return this.transcript.render(this.replacements());
  }
  templated(text) {
    return this.replacements().reduce((t, [from, to]) => t.split(from).join(to), text);
  }
}

function forPostgres(e, version) {
  if (!e?.postgres) return e;
  const { postgres, ...own } = e;
  const match = Object.entries(postgres).find(([range]) => inRange(version, range));
  return match ? { ...own, ...match[1] } : own;
}

function protocolNumber(v) {
  if (v === undefined) return 196608;
  if (typeof v === 'number') return v;
  const [major, minor] = v.split('.').map(Number);
  return major * 65536 + minor;
}

// ---------------------------------------------------------------------------------------------
// The program

const USAGE = 'usage: PGPASSWORD=... node repro.mjs DIRECT_URL POOLED_URL [WIDE_URL] [--step-timeout MS]';

function parseUrl(text) {
  let u;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`${JSON.stringify(text)} is not a URL: ${USAGE}`);
  }
  if (!['postgres:', 'postgresql:'].includes(u.protocol)) throw new Error(`${u.protocol}// is not postgres://: ${USAGE}`);
  if (u.password) throw new Error(`${u.protocol}//${u.username}@${u.host}${u.pathname} holds a password: give it in PGPASSWORD, never in a URL`);
  if (!u.username) throw new Error(`${text}: name the user (postgres://USER@host:port/db)`);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username),
    user: decodeURIComponent(u.username),
    shown: `${u.protocol}//${u.username}@${u.host}${u.pathname}`,
  };
}

async function main(argv) {
  if (!SCENARIO) {
    process.stderr.write('this is the template of the script poolcheck repro writes; run the repro.mjs it wrote\n');
    return 2;
  }
  const urls = [];
  let ms = SCENARIO.stepTimeoutMs;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--step-timeout') ms = Number(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else urls.push(argv[i]);
  }
  let direct, pooled, wide;
  try {
    if (urls.length < 2 || urls.length > 3 || !(ms > 0)) throw new Error(USAGE);
    [direct, pooled, wide] = urls.map(parseUrl);
  } catch (e) {
    process.stderr.write(`repro.mjs: ${e.message}\n`);
    return 2;
  }
  const password = process.env.PGPASSWORD;
  if (SCENARIO.rawLacks.length) {
    process.stdout.write(
      `note: ${SCENARIO.id} needs ${SCENARIO.rawLacks.join(', ')} of its client, which this script (as poolcheck's raw driver) does not have: it sends the raw driver's messages, so a finding of another driver may not show\n\n`,
    );
  }
  const verdicts = [];
  for (const [side, where] of [
    ['direct', direct],
    ['pooled', pooled],
  ]) {
    const run = new Run(side, { direct, pooled, wide: wide ?? pooled }, password, ms);
    process.stdout.write(`## ${side}: ${where.shown}${side === 'pooled' && wide ? ` (wide pool: ${wide.shown})` : ''}\n`);
    let failure;
    try {
      failure = await run.run();
    } catch (e) {
      failure = `could not run: ${e.message}`;
    }
    if (failure) failure = run.templated(failure);
    process.stdout.write(`${run.rendered()}\n`);
    process.stdout.write(`=> ${side}: ${failure ?? 'every step as PostgreSQL does it'}\n\n`);
    verdicts.push(failure);
  }
  const [onDirect, onPooled] = verdicts;
  if (onDirect) {
    process.stdout.write(`PostgreSQL itself does not do what ${SCENARIO.id} expects (see above): the replay cannot tell anything about the pooler\n`);
    return 2;
  }
  process.stdout.write(onPooled ? `The pooler differs from PostgreSQL: ${onPooled}\n` : 'The pooler behaves as PostgreSQL does here.\n');
  return onPooled ? 1 : 0;
}

const invoked = (() => {
  try {
    return pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return '';
  }
})();
if (import.meta.url === invoked) process.exitCode = await main(process.argv.slice(2));
