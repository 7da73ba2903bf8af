// WireConnection on an in-memory socket: the exact bytes it writes (start-up, SCRAM, extended
// query, FunctionCall, COPY, Terminate, CancelRequest) and what it makes of recorded server
// bytes fed in awkward pieces; deadlines, a server that closes mid-message, a broken framing.
import { expect } from 'chai';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { ConnectionLostError, DeadlineError } from '../../harness/kernel/errors.ts';
import { WireConnection, type ConnectOptions } from '../../harness/wire/connection.ts';
import { Transcript } from '../../harness/wire/transcript.ts';
import { FakeServerSocket } from './fake-server-socket.ts';

// Server messages, built field by field as protocol-message-formats.html lists them.
const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`);
const frame = (code: string, ...fields: Buffer[]) => {
  const body = Buffer.concat(fields);
  return Buffer.concat([Buffer.from(code), i32(body.length + 4), body]);
};
const authOk = frame('R', i32(0));
const parameterStatus = (name: string, value: string) => frame('S', cstr(name), cstr(value));
const backendKeyData = (pid: number, key: Buffer) => frame('K', i32(pid), key);
const readyForQuery = (status: 'I' | 'T' | 'E') => frame('Z', Buffer.from(status));
const commandComplete = (tag: string) => frame('C', cstr(tag));
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex');
const text = (s: string) => Buffer.from(s).toString('hex');

/** Cuts `bytes` at these offsets: the pieces a TCP stream might deliver. */
const cut = (bytes: Buffer, ...at: number[]) => [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));

const KEY_3_0 = Buffer.from([0, 0, 0, 99]);

/** Each call opens the next of these sockets: the session's, then a CancelRequest's. */
function options(sockets: FakeServerSocket[], transcript: Transcript, more: Partial<ConnectOptions> = {}): ConnectOptions {
  const queue = [...sockets];
  return {
    host: '127.0.0.1',
    port: 1,
    user: 'app',
    database: 'db',
    password: 'secret',
    label: 'a',
    transcript,
    timeoutMs: 1000,
    dial: async () => {
      const next = queue.shift();
      if (!next) throw new Error('no more sockets');
      return next.socket;
    },
    ...more,
  };
}

/** A connection logged in with trust, the start-up packet taken. */
async function loggedIn(more: Partial<ConnectOptions> = {}, key = KEY_3_0, sockets: FakeServerSocket[] = [new FakeServerSocket()]) {
  const transcript = new Transcript();
  const [server] = sockets;
  const connecting = WireConnection.connect(options(sockets, transcript, more));
  const startup = await server.packet();
  await server.send(Buffer.concat([authOk, backendKeyData(4242, key), readyForQuery('I')]));
  return { server, conn: await connecting, transcript, startup };
}

describe('WireConnection on a fake socket', () => {
  it('gives a login up when asked for credentials: the StartupMessage, then the socket dropped unanswered', async () => {
    const transcript = new Transcript();
    const server = new FakeServerSocket();
    let destroyed = false;
    server.socket.on('close', () => {
      destroyed = true;
    });
    const abandoning = WireConnection.abandonLogin(options([server], transcript));
    await server.packet();
    await server.send(frame('R', i32(10), cstr('SCRAM-SHA-256'), Buffer.from([0])));
    expect(await abandoning).to.equal('AuthenticationSASL');
    expect(server.untaken.length).to.equal(0);
    expect(destroyed).to.equal(true);
    expect(transcript.render([])).to.contain('drop the socket instead of answering AuthenticationSASL');
  });

  it('closes as usual where the server lets the abandoning client in without asking', async () => {
    const server = new FakeServerSocket();
    const abandoning = WireConnection.abandonLogin(options([server], new Transcript()));
    await server.packet();
    await server.send(Buffer.concat([authOk, backendKeyData(7, KEY_3_0), readyForQuery('I')]));
    const terminate = await server.message();
    expect(terminate.toString('latin1', 0, 1)).to.equal('X');
    server.close();
    expect(await abandoning).to.equal('ReadyForQuery');
  });

  it('writes a 3.0 StartupMessage and logs in from server bytes cut anywhere', async () => {
    const transcript = new Transcript();
    const server = new FakeServerSocket();
    const connecting = WireConnection.connect(options([server], transcript));
    expect((await server.packet()).toString('hex')).to.equal(
      hex(`
      00000033 00030000                            # length 51, protocol 3.0
      ${text('user')}00 ${text('app')}00 ${text('database')}00 ${text('db')}00
      ${text('client_encoding')}00 ${text('UTF8')}00 00
    `).toString('hex'),
    );
    const reply = Buffer.concat([authOk, parameterStatus('TimeZone', 'UTC'), backendKeyData(4242, KEY_3_0), readyForQuery('I')]);
    // A type byte alone, the rest of a length word, a value split in two.
    await server.send(...cut(reply, 1, 3, 20, 21, reply.length - 3));
    const conn = await connecting;
    expect(conn.pid).to.equal(4242);
    expect(conn.secret?.toString('hex')).to.equal('00000063');
    expect(conn.protocol).to.equal(196608);
    expect(conn.parameters.get('TimeZone')).to.equal('UTC');
    expect(conn.login.map((m) => m.type)).to.deep.equal(['AuthenticationOk', 'ParameterStatus', 'BackendKeyData', 'ReadyForQuery']);
    expect(transcript.render()).to.equal(
      [
        'a FE=> StartupMessage(user="app", database="db")',
        'a <= BE AuthenticationOk',
        'a <= BE ParameterStatus(TimeZone="UTC")',
        'a <= BE BackendKeyData(pid=pid#1, key=<secret>)',
        'a <= BE ReadyForQuery(I)',
        '',
      ].join('\n'),
    );
  });

  it("answers SCRAM-SHA-256 with the bytes RFC 5802 prescribes, and checks the server's signature", async () => {
    const salt = Buffer.from('poolcheck-salt!!');
    const salted = pbkdf2Sync('secret', salt, 4096, 32, 'sha256');
    const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();

    const login = async (serverFinal: (authMessage: string) => string) => {
      const transcript = new Transcript();
      const server = new FakeServerSocket();
      // Settled at once: a refused login must not count as an unhandled rejection meanwhile.
      const connecting: Promise<unknown> = WireConnection.connect(options([server], transcript)).catch((e: unknown) => e);
      await server.packet();
      await server.send(frame('R', i32(10), cstr('SCRAM-SHA-256'), Buffer.from([0])));
      const initial = await server.message();
      const clientFirst = initial.subarray(5 + 'SCRAM-SHA-256\0'.length + 4).toString();
      const nonce = /^n,,n=,r=([A-Za-z0-9+/]{24})$/.exec(clientFirst)?.[1];
      expect(nonce, clientFirst).to.be.a('string');
      expect(initial.equals(frame('p', cstr('SCRAM-SHA-256'), i32(clientFirst.length), Buffer.from(clientFirst)))).to.equal(true);
      const serverFirst = `r=${nonce}server-nonce,s=${salt.toString('base64')},i=4096`;
      await server.send(frame('R', i32(11), Buffer.from(serverFirst)));
      const withoutProof = `c=biws,r=${nonce}server-nonce`;
      const authMessage = `n=,r=${nonce},${serverFirst},${withoutProof}`;
      const signature = hmac(storedKey, authMessage);
      const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i])).toString('base64');
      expect((await server.message()).toString('hex')).to.equal(frame('p', Buffer.from(`${withoutProof},p=${proof}`)).toString('hex'));
      await server.send(
        Buffer.concat([frame('R', i32(12), Buffer.from(serverFinal(authMessage))), authOk, backendKeyData(7, KEY_3_0), readyForQuery('I')]),
      );
      return { connecting, transcript };
    };

    const serverKey = hmac(salted, 'Server Key');
    const ok = await login((authMessage) => `v=${hmac(serverKey, authMessage).toString('base64')}`);
    expect(((await ok.connecting) as WireConnection).pid).to.equal(7);
    expect(ok.transcript.render()).to.contain('a FE=> SASLInitialResponse(SCRAM-SHA-256)\n').and.contain('a FE=> SASLResponse(<proof>)\n');
    const forged = await login(() => `v=${Buffer.alloc(32).toString('base64')}`);
    const err = await forged.connecting;
    expect((err as Error).message).to.match(/server signature does not match/);
  });

  it('writes Parse/Bind/Execute/Sync in one write and reads a binary result as bytes', async () => {
    const { server, conn, transcript } = await loggedIn();
    const replying = conn.exchange([
      { type: 'Parse', name: 's1', sql: 'SELECT $1::int8' },
      { type: 'Bind', statement: 's1', params: [{ hex: '0000000000000005' }], paramFormats: ['binary'], resultFormats: ['binary'] },
      { type: 'Execute' },
      { type: 'Sync' },
    ]);
    const written = await server.take(server.untaken.length);
    expect(written.toString('hex')).to.equal(
      hex(`
      50 00000019 ${text('s1')}00 ${text('SELECT $1::int8')}00 0000     # Parse
      42 0000001e 00 ${text('s1')}00 0001 0001 0001 00000008 0000000000000005 0001 0001  # Bind
      45 00000009 00 00000000                                           # Execute
      53 00000004                                                       # Sync
    `).toString('hex'),
    );
    const reply = Buffer.concat([
      frame('1'),
      frame('2'),
      frame('D', i16(1), i32(8), hex('0000000000000005')),
      commandComplete('SELECT 1'),
      readyForQuery('I'),
    ]);
    await server.send(...cut(reply, 5, 11, 20, 28));
    expect(await replying).to.deep.equal([
      { type: 'ParseComplete' },
      { type: 'BindComplete' },
      { type: 'DataRow', values: [{ hex: '0000000000000005' }] },
      { type: 'CommandComplete', tag: 'SELECT 1' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    expect(transcript.render()).to.contain("a <= BE DataRow([x'0000000000000005'])");
  });

  it('sends COPY data with its Query before any CopyInResponse, and reads up to the one ReadyForQuery', async () => {
    const { server, conn } = await loggedIn();
    const replying = conn.exchange([{ type: 'Query', sql: 'COPY t FROM STDIN' }, { type: 'CopyData', data: '1\n' }, { type: 'CopyDone' }]);
    expect((await server.take(server.untaken.length)).toString('hex')).to.equal(
      hex(`
      51 00000016 ${text('COPY t FROM STDIN')}00
      64 00000006 ${text('1\n')}
      63 00000004
    `).toString('hex'),
    );
    await server.send(Buffer.concat([frame('G', Buffer.from([0]), i16(1), i16(0)), commandComplete('COPY 1'), readyForQuery('I')]));
    expect((await replying).map((m) => m.type)).to.deep.equal(['CopyInResponse', 'CommandComplete', 'ReadyForQuery']);
  });

  it('writes a FunctionCall and reads its FunctionCallResponse', async () => {
    const { server, conn } = await loggedIn();
    const replying = conn.exchange([{ type: 'FunctionCall', function: 957, args: ['-1'] }]);
    expect((await server.message()).toString('hex')).to.equal(hex(`46 00000016 000003bd 0001 0000 0001 00000002 ${text('-1')} 0000`).toString('hex'));
    await server.send(Buffer.concat([frame('V', i32(5), Buffer.from('16385')), readyForQuery('T')]));
    expect(await replying).to.deep.equal([
      { type: 'FunctionCallResponse', value: '16385' },
      { type: 'ReadyForQuery', status: 'T' },
    ]);
  });

  it('asks for protocol 3.2 with a _pq_ option and goes on in the version NegotiateProtocolVersion offers', async () => {
    const transcript = new Transcript();
    const server = new FakeServerSocket();
    const connecting = WireConnection.connect(options([server], transcript, { protocol: 196610, params: { '_pq_.test': 'on' } }));
    const startup = await server.packet();
    expect(startup.subarray(4, 8).toString('hex')).to.equal('00030002');
    expect(startup.toString()).to.contain('_pq_.test\0on\0');
    await server.send(Buffer.concat([frame('v', i32(196608), i32(1), cstr('_pq_.test')), authOk, backendKeyData(9, KEY_3_0), readyForQuery('I')]));
    const conn = await connecting;
    expect(conn.protocol).to.equal(196608);
    expect(conn.login[0]).to.deep.equal({ type: 'NegotiateProtocolVersion', version: 196608, options: ['_pq_.test'] });
    expect(transcript.render())
      .to.contain('a FE=> StartupMessage(version=3.2, user="app", database="db", _pq_.test="on")\n')
      .and.contain('a <= BE NegotiateProtocolVersion(version=3.0, options=["_pq_.test"])\n');
  });

  it('sends a CancelRequest on a new connection with the key as long as the server gave it', async () => {
    const key32 = Buffer.alloc(32, 0xc3);
    for (const key of [KEY_3_0, key32]) {
      const cancelSocket = new FakeServerSocket();
      const { conn, transcript } = await loggedIn({ protocol: 196610 }, key, [new FakeServerSocket(), cancelSocket]);
      const cancelling = conn.cancel(1000);
      expect((await cancelSocket.packet()).toString('hex')).to.equal(
        hex(`${(12 + key.length).toString(16).padStart(8, '0')} 04d2162e 00001092 ${key.toString('hex')}`).toString('hex'),
      );
      // PostgreSQL answers nothing: it closes the connection once it has handled the request.
      cancelSocket.close();
      await cancelling;
      expect(transcript.render()).to.contain(
        `CancelRequest(pid=pid#1, key=${key.length === 4 ? '<secret>' : '<secret of 32 bytes>'}) on a new connection`,
      );
    }
    const cancelSocket = new FakeServerSocket();
    const { conn, transcript } = await loggedIn({ protocol: 196610 }, key32, [new FakeServerSocket(), cancelSocket]);
    const cancelling = conn.cancel(1000, 4242, Buffer.alloc(32, 0x99));
    expect((await cancelSocket.packet()).subarray(12).toString('hex')).to.equal('99'.repeat(32));
    cancelSocket.close();
    await cancelling;
    expect(transcript.render()).to.contain('key=<wrong secret of 32 bytes>');
  });

  it('writes Terminate on close and waits for the server to close', async () => {
    const { server, conn } = await loggedIn();
    const closing = conn.close();
    expect((await server.message()).toString('hex')).to.equal('5800000004');
    server.close();
    await closing;
    expect(conn.isClosed).to.equal(true);
  });

  it('fails a read at its deadline with what it waited for', async () => {
    const { conn } = await loggedIn();
    const err = await conn.exchange([{ type: 'Query', sql: 'SELECT pg_sleep(1)' }], { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DeadlineError);
    expect((err as Error).message).to.equal('a: timed out after 50ms waiting for the reply to 1 Sync/Query');
  });

  it('says so when the server closes in the middle of a message', async () => {
    const { server, conn, transcript } = await loggedIn();
    const replying = conn.exchange([{ type: 'Query', sql: 'SELECT 1' }]).catch((e: unknown) => e);
    await server.send(frame('D', i16(1), i32(1), Buffer.from('1')).subarray(0, 7));
    server.close();
    const err = await replying;
    expect(err).to.be.instanceOf(ConnectionLostError);
    expect((err as Error).message).to.match(/in the middle of a message \(6 of 11 bytes of a message "D"\)/);
    expect(transcript.render()).to.contain('a -- the server closed the connection with 6 of 11 bytes of a message "D" unread');
  });

  it('stops reading a server that breaks the framing', async () => {
    const { server, conn } = await loggedIn();
    const replying = conn.exchange([{ type: 'Query', sql: 'SELECT 1' }]).catch((e: unknown) => e);
    await server.send(hex('5a 00000002 49'));
    const err = await replying;
    expect(err).to.be.instanceOf(ConnectionLostError);
    expect((err as Error).message).to.match(/broke the message framing \(the server sent a message "Z" with length 2/);
  });
});
