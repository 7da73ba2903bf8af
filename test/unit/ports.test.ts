// A server's port is chosen before the server binds it: it must be one that no outgoing
// connection of the run can take meanwhile, and two servers started at once never share one.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../../harness/targets/ports.ts';

describe('free ports for servers', () => {
  it('are below the range the kernel gives outgoing connections, free to listen on, and never handed out twice', async () => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).to.equal(ports.length);
    for (const port of ports) expect(port).to.be.below(low).and.at.least(10_000);
    const srv = net.createServer();
    await new Promise<void>((resolve, reject) => {
      srv.on('error', reject);
      srv.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => srv.close(resolve));
  });
});
