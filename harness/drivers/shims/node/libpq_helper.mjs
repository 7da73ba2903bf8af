// poolcheck's libpq helper: many sessions, each one pg-native Client (libpq through the npm
// `libpq` binding), in a Node process of its own. Protocol: ../README.md.
//
// Why a process of its own: the binding installs no notice processor, so libpq's default one
// prints every NoticeResponse (WARNING:  ..., NOTICE:  ...) to the process's stderr. Here that
// is this helper's stderr, which poolcheck keeps (the tail of it, for error messages) instead
// of its own terminal.
//
// Run as: node libpq_helper.mjs <path of pg-native's main file>. This side does what pg-native
// does and reports it as it is (the driver's raw words, the server's error fields); the error
// mapping lives in ../libpq.ts. The ops: hello, ping, connect {conninfo}, query {sql, params},
// prepare {name, sql, nParams}, execute {name, params}, cancel, waitNotification, close, destroy.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { clearTimeout, setImmediate, setTimeout } from 'node:timers';

// Nothing but replies may reach stdout.
console.log = console.error;
console.info = console.error;

const load = createRequire(import.meta.url);
const Client = load(process.argv[2] || 'pg-native');

/** An operation the driver failed (ok: false); `lost` when it is known here that the connection is gone. */
class OpError extends Error {
  constructor(message, lost = false) {
    super(message);
    this.lost = lost;
  }
}

// Every value as the server's text, like the other drivers.
const textTypes = { getTypeParser: () => (value) => value };

/** id -> Session */
const sessions = new Map();
/** Sessions poolcheck gave up on while their connect was still running: dropped on arrival. */
const abandoned = new Set();

class Session {
  constructor(client) {
    this.client = client;
    this.notifications = [];
    this.waiters = [];
    /** Fails the operation in flight when libpq reports the connection broken between results. */
    this.failInflight = undefined;
    /** libpq's words when it dropped the connection (see dropped); undefined while it serves. */
    this.lost = undefined;
    client.on('notification', (n) => {
      this.notifications.push({ channel: n.relname, payload: n.extra, pid: n.be_pid });
      for (const w of this.waiters.splice(0)) w();
    });
    // pg-native reports a read failure as an 'error' event and never calls the query back.
    client.on('error', (err) => {
      this.failInflight?.(new OpError(err.message));
      if (client.pq.socket() < 0) this.dropped(err.message);
    });
  }

  /**
   * libpq closed the socket of a connection it found broken (pqDropConnection), but the binding
   * still watches that fd number: once a new connection reuses the number, the binding's
   * uv_poll_init_socket fails (EEXIST) and its first read start crashes the process (SIGSEGV or
   * a libuv assertion, seen under load), and closing the stale watcher later would unregister
   * the new connection from epoll. So the dead connection is finished at once, in the read that
   * found it broken, before any other connection can be set up, and later operations on the
   * session fail as libpq fails them on a connection it has dropped.
   */
  dropped(message) {
    this.lost = message;
    this.client.end();
  }

  /** One pg-native call; a server error is a result carrying its SQLSTATE, as in-process. */
  run(start) {
    // libpq's own words for an operation on a connection it dropped (fe-exec.c).
    if (this.lost !== undefined) return Promise.reject(new OpError('no connection to the server', true));
    return new Promise((resolve, reject) => {
      this.failInflight = reject;
      start((err, _rows, results) => {
        this.failInflight = undefined;
        if (err) {
          // The failed result is still libpq's last one: its fields carry the SQLSTATE.
          const fields = this.client.pq.resultErrorFields();
          if (fields?.sqlState)
            resolve({
              rows: [],
              columns: [],
              error: {
                code: fields.sqlState,
                message: fields.messagePrimary ?? err.message.trim(),
                ...(fields.severity ? { severity: fields.severity } : {}),
              },
            });
          else reject(new OpError(err.message));
          return;
        }
        // Several statements give several results; like raw, the last one with columns counts.
        const list = results === undefined ? [] : Array.isArray(results) ? results : [results];
        const withColumns = [...list].reverse().find((r) => r.fields.length > 0);
        const last = list[list.length - 1];
        resolve({ rows: withColumns?.rows ?? [], columns: (withColumns?.fields ?? []).map((f) => f.name), command: last?.command });
      });
    });
  }

  takeNotification(channel) {
    const i = this.notifications.findIndex((n) => n.channel === channel);
    return i >= 0 ? this.notifications.splice(i, 1)[0] : undefined;
  }

  async waitNotification(channel, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.takeNotification(channel);
      if (n) return n;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        // At the deadline the waiter leaves the list: a wait that saw nothing leaves nothing behind.
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== wake);
          resolve();
        }, left);
        this.waiters.push(wake);
      });
    }
  }

  /** PQfinish: Terminate, then the socket closed. pg-native would never call back a query still running. */
  end(cb) {
    this.failInflight?.(new OpError('the connection was closed while the query ran', true));
    if (this.lost === undefined) this.client.end(cb);
    else if (cb) setImmediate(cb);
  }
}

async function connect(req) {
  const client = new Client({ types: textTypes, arrayMode: true });
  let failure;
  await new Promise((resolve) =>
    client.connect(req.conninfo, (err) => {
      failure = err ? new OpError(err.message) : undefined;
      resolve();
    }),
  );
  // A connect that missed poolcheck's deadline completes here with nobody to close it.
  const gaveUp = abandoned.delete(req.session);
  if (failure || gaveUp) {
    client.end();
    throw failure ?? new OpError('connected after poolcheck had given up on this session; closed');
  }
  sessions.set(req.session, new Session(client));
  return {};
}

const SESSION_OPS = {
  query: (s, req) => s.run((cb) => (req.params ? s.client.query(req.sql, req.params, cb) : s.client.query(req.sql, cb))),
  prepare: (s, req) => s.run((cb) => s.client.prepare(req.name, req.sql, req.nParams, cb)),
  execute: (s, req) => s.run((cb) => s.client.execute(req.name, req.params, cb)),
  // PQcancel: a separate connection carrying the BackendKeyData. It blocks this helper's event
  // loop for that round trip, which is short on loopback.
  cancel: (s) => {
    const r = s.client.pq.cancel();
    if (r !== true) throw new OpError(`PQcancel failed: ${r}`);
    return {};
  },
  waitNotification: async (s, req) => ({ notification: await s.waitNotification(req.channel, req.timeoutMs) }),
  close: (s, req) => {
    sessions.delete(req.session);
    return new Promise((resolve) => s.end(() => resolve({})));
  },
  // The binding cannot drop the socket without PQfinish's Terminate: as in-process, it ends politely.
  destroy: (s, req) => {
    sessions.delete(req.session);
    s.end();
    return {};
  },
};

async function handle(req) {
  switch (req.op) {
    case 'ping':
      return {};
    case 'hello':
      return { library: `pg-native ${Client.version} on Node ${process.versions.node}`, version: Client.version };
    case 'connect':
      return connect(req);
  }
  const fn = SESSION_OPS[req.op];
  if (!fn) throw new OpError(`libpq helper has no op ${req.op}`);
  const s = sessions.get(req.session);
  if (!s && (req.op === 'close' || req.op === 'destroy')) {
    abandoned.add(req.session);
    return {};
  }
  if (!s) throw new OpError(`no session ${req.session}`);
  return fn(s, req);
}

function write(obj) {
  let line;
  try {
    line = JSON.stringify(obj);
  } catch (e) {
    line = JSON.stringify({ id: obj.id, ok: false, error: { message: `the helper could not encode its reply: ${e.message}`, lost: false } });
  }
  process.stdout.write(`${line}\n`);
}

async function serveOne(req) {
  try {
    write({ id: req.id, ok: true, result: await handle(req) });
  } catch (e) {
    if (!(e instanceof OpError)) process.stderr.write(`libpq helper: ${e?.stack ?? e}\n`);
    write({ id: req.id, ok: false, error: { message: e instanceof Error ? e.message : String(e), lost: e instanceof OpError && e.lost } });
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    process.stderr.write(`libpq helper: not a JSON line: ${line.slice(0, 200)}\n`);
    return;
  }
  void serveOne(req);
});
// stdin closed: poolcheck ended or was killed. Close what is open and go.
lines.on('close', () => {
  for (const s of sessions.values()) {
    try {
      s.end();
    } catch {
      /* closing anyway */
    }
  }
  process.exit(0);
});
