// The server's end of a connection, in memory: a Duplex the client reads recorded server bytes
// from (fed in whatever pieces a test chooses) and whose writes the test reads back byte for byte.
import { Duplex } from 'node:stream';

export class FakeServerSocket {
  /** The client's end: what WireConnection reads and writes. */
  readonly socket: Duplex;
  private written = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();
  /** The client ended its side (after Terminate, say). */
  clientEnded = false;

  constructor() {
    this.socket = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _encoding, done) => {
        this.written = Buffer.concat([this.written, chunk]);
        this.wake();
        done();
      },
      final: (done) => {
        this.clientEnded = true;
        this.wake();
        done();
      },
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Sends the server's bytes to the client, each piece as one read, a macrotask apart. */
  async send(...pieces: Buffer[]): Promise<void> {
    for (const p of pieces) {
      this.socket.push(p);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The server closes the connection, after what it sent is read. */
  close(): void {
    this.socket.push(null);
    setImmediate(() => this.socket.destroy());
  }

  /** Waits (up to 2 s) for the client to have written `n` bytes not yet taken, and takes them. */
  async take(n: number): Promise<Buffer> {
    const deadline = Date.now() + 2000;
    while (this.written.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the client wrote ${this.written.length} of the ${n} bytes awaited: ${this.written.toString('hex')}`);
      await new Promise<void>((resolve) => {
        const w = () => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve();
        };
        const timer = setTimeout(w, left);
        this.waiters.add(w);
      });
    }
    const out = this.written.subarray(0, n);
    this.written = this.written.subarray(n);
    return out;
  }

  /** Takes the next message the client writes: type byte, length word and body. */
  async message(): Promise<Buffer> {
    const head = await this.take(5);
    return Buffer.concat([head, await this.take(head.readInt32BE(1) - 4)]);
  }

  /** Takes the next start-up packet (no type byte): StartupMessage, SSLRequest, CancelRequest. */
  async packet(): Promise<Buffer> {
    const length = await this.take(4);
    return Buffer.concat([length, await this.take(length.readInt32BE(0) - 4)]);
  }

  /** What the client wrote and the test has not taken. */
  get untaken(): Buffer {
    return this.written;
  }
}
