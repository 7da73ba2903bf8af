import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Where Linux picks the local ports of outgoing connections (net.ipv4.ip_local_port_range).
 * A server's port is chosen some milliseconds before the server binds it; chosen inside this
 * range, one of the run's own client connections could take it meanwhile ("Address already
 * in use", seen once in a run).
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32768;
  } catch {
    return 32768;
  }
}

const FLOOR = 10_000;
/** Ports this process handed out: two servers started at once never get the same one. */
const handedOut = new Set<number>();

const listensOn = (port: number, host: string): Promise<number | undefined> =>
  new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', () => resolve(undefined));
    srv.listen(port, host, () => {
      const bound = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(bound));
    });
  });

/** A port free on 127.0.0.1 and on ::1: the servers listen on both loopbacks (a scenario logs in over ::1). */
const listens = async (port: number): Promise<number | undefined> => {
  const bound = await listensOn(port, '127.0.0.1');
  return bound !== undefined && (await listensOn(bound, '::1')) !== undefined ? bound : undefined;
};

/** A TCP port free on 127.0.0.1 right now, below the ephemeral range where there is room. */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let attempt = 0; low - FLOOR > 1000 && attempt < 50; attempt++) {
    const port = FLOOR + Math.floor(Math.random() * (low - FLOOR));
    if (handedOut.has(port)) continue;
    if (await listens(port)) {
      handedOut.add(port);
      return port;
    }
  }
  // No room below the range (or all tried were taken): the kernel picks one.
  for (;;) {
    const port = await listens(0);
    if (port === undefined) throw new Error('no TCP port is free on 127.0.0.1');
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
