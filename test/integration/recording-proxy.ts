// A TCP pass-through on 127.0.0.1 in front of a real server that keeps what each client sent,
// so a test can compare two drivers' frontend traffic message by message. It forwards bytes
// unchanged and answers nothing itself.
import net from 'node:net';
import { withDeadline } from '../../harness/kernel/poll.ts';

export interface RecordingProxy {
  readonly port: number;
  /** The bytes each connection sent, in connection order. */
  readonly sent: Buffer[][];
  /** Resolves once every client has closed its connection (its last bytes are then in `sent`). */
  clientsClosed(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function recordingProxy(host: string, port: number): Promise<RecordingProxy> {
  const sent: Buffer[][] = [];
  const sockets = new Set<net.Socket>();
  const clientClosed: Array<Promise<void>> = [];
  const server = net.createServer((client) => {
    const chunks: Buffer[] = [];
    sent.push(chunks);
    clientClosed.push(new Promise((resolve) => client.once('close', () => resolve())));
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d) => {
      chunks.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sent,
    clientsClosed: (timeoutMs) =>
      withDeadline(
        Promise.all(clientClosed).then(() => undefined),
        timeoutMs,
        'the proxied clients to close their connections',
      ),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A connection's frontend messages after the StartupMessage, as `type:payload-hex`, without
 * the SASL/password responses (their nonces differ on every login).
 */
export function frontendMessages(bytes: Buffer): string[] {
  let at = bytes.readInt32BE(0); // the StartupMessage has no type byte
  const out: string[] = [];
  while (at + 5 <= bytes.length) {
    const type = String.fromCharCode(bytes[at]);
    const len = bytes.readInt32BE(at + 1);
    if (type !== 'p') out.push(`${type}:${bytes.subarray(at + 5, at + 1 + len).toString('hex')}`);
    at += 1 + len;
  }
  return out;
}
