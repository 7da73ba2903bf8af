// The libpq driver across its helper process (shims/node/libpq_helper.mjs), against a fake
// server on loopback: libpq's words still become the errors they were in-process (a login the
// server ended with FATAL, a connection the server dropped, a port nobody listens on).
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { libpqDriver } from '../../harness/drivers/libpq.ts';
import { stopHelpers } from '../../harness/drivers/helper-process.ts';
import { prerequisiteOf } from '../../harness/drivers/prerequisites.ts';
import { ConnectionLostError, LoginRefusedError } from '../../harness/kernel/errors.ts';
import { Transcript } from '../../harness/wire/transcript.ts';

const message = (type: string, body: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), len, body]);
};
const int32 = (...ns: number[]) =>
  Buffer.concat(
    ns.map((n) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    }),
  );
const fields = (f: Record<string, string>) => Buffer.concat([...Object.entries(f).map(([k, v]) => Buffer.from(`${k}${v}\0`)), Buffer.from([0])]);
const LOGIN_OK = Buffer.concat([message('R', int32(0)), message('K', int32(4242, 77)), message('Z', Buffer.from('I'))]);

/** A server that reads the StartupMessage, answers it with `onStartup`, then each Query with `onQuery`. */
async function fakeServer(
  onStartup: (sock: Socket) => void,
  onQuery: (sock: Socket, sql: string) => void = () => undefined,
): Promise<{ server: Server; port: number }> {
  const server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    let started = false;
    sock.on('error', () => undefined);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (!started) {
          if (buf.length < 4 || buf.length < buf.readInt32BE(0)) return;
          buf = buf.subarray(buf.readInt32BE(0));
          started = true;
          onStartup(sock);
          continue;
        }
        if (buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return;
        const type = String.fromCharCode(buf[0]);
        const body = buf.subarray(5, 1 + buf.readInt32BE(1));
        buf = buf.subarray(1 + buf.readInt32BE(1));
        if (type === 'Q') onQuery(sock, body.toString('utf8').replace(/\0$/, ''));
        if (type === 'X') sock.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('libpq driver in its helper process', function () {
  const servers: Server[] = [];
  before(function () {
    if (!prerequisiteOf('libpq')!.present()) this.skip();
  });
  after(async () => {
    await stopHelpers();
    for (const s of servers) s.close();
  });

  const connect = async (port: number) =>
    libpqDriver.connect({
      conn: { host: '127.0.0.1', port, user: 'u', password: 'p', database: 'd' },
      label: 'a',
      transcript: new Transcript(),
      timeoutMs: 5000,
    });
  const serve = async (...args: Parameters<typeof fakeServer>) => {
    const f = await fakeServer(...args);
    servers.push(f.server);
    return f.port;
  };
  const failureOf = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('it succeeded');
      },
      (e: unknown) => e as Error,
    );

  it("reports a login the server ended with FATAL as refused, in libpq's words", async () => {
    const port = await serve((sock) =>
      sock.end(message('E', fields({ S: 'FATAL', V: 'FATAL', C: '28P01', M: 'password authentication failed for user "u"' }))),
    );
    const err = await failureOf(connect(port));
    expect(err).to.be.instanceOf(LoginRefusedError);
    expect(err.message).to.match(
      /^a: libpq connect: connection to server at "127\.0\.0\.1", port \d+ failed: FATAL: {2}password authentication failed for user "u"$/,
    );
  });

  it('reports a login a pooler refused with severity ERROR (Odyssey does) as refused too', async () => {
    const port = await serve((sock) =>
      sock.end(message('E', fields({ S: 'ERROR', V: 'ERROR', C: '28000', M: 'odyssey: c1: frontend auth: failed to make auth query' }))),
    );
    const err = await failureOf(connect(port));
    expect(err).to.be.instanceOf(LoginRefusedError);
    expect(err.message).to.match(/failed: ERROR: {2}odyssey: c1: frontend auth: failed to make auth query$/);
  });

  it('reports a port nobody listens on as a plain failure, neither refused nor lost', async () => {
    const port = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await failureOf(connect(port));
    expect(err).to.not.be.instanceOf(LoginRefusedError);
    expect(err).to.not.be.instanceOf(ConnectionLostError);
    expect(err.message).to.match(/^a: libpq connect: connection to server at "127\.0\.0\.1", port \d+ failed: Connection refused/);
  });

  it('runs a query whose reply holds a NoticeResponse, and reports a server that drops the connection as lost', async () => {
    const port = await serve(
      (sock) => sock.write(LOGIN_OK),
      (sock, sql) => {
        if (sql.startsWith('DO')) {
          sock.write(
            Buffer.concat([
              message('N', fields({ S: 'NOTICE', V: 'NOTICE', C: '00000', M: 'pc-fake-notice' })),
              message('C', Buffer.from('DO\0')),
              message('Z', Buffer.from('I')),
            ]),
          );
        } else sock.destroy();
      },
    );
    const s = await connect(port);
    expect(await s.query("DO $$BEGIN RAISE NOTICE 'x'; END$$")).to.deep.equal({ rows: [], columns: [], command: 'DO' });
    const err = await failureOf(s.query('SELECT 1'));
    expect(err).to.be.instanceOf(ConnectionLostError);
    expect(err.message).to.match(/^a: server closed the connection unexpectedly/);
    s.destroy();
  });
});
