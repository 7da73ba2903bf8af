import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperDeadError, HelperOpError, HelperProcess, type HelperCommand } from '../../harness/drivers/helper-process.ts';
import { SharedHelper } from '../../harness/drivers/helper-driver.ts';
import { DeadlineError } from '../../harness/kernel/errors.ts';

const FAKE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-helper.mjs');
const fake = (extra: Partial<HelperCommand> = {}): HelperCommand => ({
  name: 'fake helper',
  command: process.execPath,
  args: [FAKE],
  pingTimeoutMs: 300,
  ...extra,
});

describe('helper process protocol', () => {
  const started: HelperProcess[] = [];
  const start = (cmd = fake()) => {
    const h = HelperProcess.start(cmd);
    started.push(h);
    return h;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.stop(500)));
  });

  it('matches replies to requests by id when they come out of order', async () => {
    const h = start();
    const order: string[] = [];
    const slow = h.request('echo', { value: 'slow', delayMs: 150 }, 2000, 'slow echo').then((r) => {
      order.push('slow');
      return r;
    });
    const fast = h.request('echo', { value: 'fast', delayMs: 0 }, 2000, 'fast echo').then((r) => {
      order.push('fast');
      return r;
    });
    const [s, f] = await Promise.all([slow, fast]);
    expect(order).to.deep.equal(['fast', 'slow']);
    expect(s.result.echo).to.equal('slow');
    expect(f.result.echo).to.equal('fast');
    expect(f.state).to.deep.equal({ pid: 42, params: { TimeZone: 'UTC' }, notices: ['01000'] });
  });

  it('turns ok: false into an error that says whether the connection is lost and carries the SQLSTATE', async () => {
    const h = start();
    const err = await h.request('fail', { lost: true, code: '28P01' }, 2000, 'a failure').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HelperOpError);
    expect((err as HelperOpError).message).to.equal('the driver gave up');
    expect((err as HelperOpError).lost).to.equal(true);
    expect((err as HelperOpError).code).to.equal('28P01');
  });

  it('keeps a stray stdout line out of the replies and in the diagnostics', async () => {
    const h = start();
    await h.request('noise', {}, 2000, 'noise');
    expect(h.stderr()).to.contain('[stdout] not json at all');
  });

  it('fails the requests in flight with the stderr tail when the helper dies, and every later one at once', async () => {
    const h = start();
    const inflight = h.request('slow', {}, 5000, 'a slow op');
    const death = await h.request('die', {}, 5000, 'death').catch((e: unknown) => e);
    expect(death).to.be.instanceOf(HelperDeadError);
    expect((death as Error).message).to.match(/exited \(code 3\).*\n.*fatal: the fake helper crashed/s);
    expect(await inflight.catch((e: unknown) => e)).to.be.instanceOf(HelperDeadError);
    const later = await h.request('echo', { value: 1 }, 2000, 'after death').catch((e: unknown) => e);
    expect(later).to.be.instanceOf(HelperDeadError);
    expect(h.failure()).to.match(/fatal: the fake helper crashed/);
    // A server notice libpq printed before the crash is not part of why it died.
    expect(h.failure()).to.not.match(/WARNING/);
  });

  it('reports a slow answer as a missed deadline while the helper still answers pings', async () => {
    // A ping budget no busy machine misses: the point is a helper that answers pings.
    const h = start(fake({ pingTimeoutMs: 10_000 }));
    const err = await h.request('slow', {}, 100, 'a slow op').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DeadlineError);
    expect((err as Error).message).to.equal('timed out after 100ms waiting for a slow op');
    expect(h.failure()).to.equal(undefined);
    expect((await h.request('echo', { value: 'still here' }, 2000, 'echo')).result.echo).to.equal('still here');
  });

  it('kills a helper that stops answering, failing what was in flight', async () => {
    const h = start();
    const inflight = h.request('slow', {}, 3000, 'an op sent before it went deaf');
    void h.request('deaf', {}, 3000, 'going deaf').catch(() => undefined);
    const err = await h.request('echo', { value: 1 }, 100, 'an echo').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HelperDeadError);
    expect((err as Error).message).to.match(/stopped answering \(no reply to a ping within 300ms\)/);
    expect(await inflight.catch((e: unknown) => e)).to.be.instanceOf(HelperDeadError);
    await h.exited;
  });

  it('exits when its stdin closes', async () => {
    const h = start();
    await h.request('hello', {}, 2000, 'hello');
    const t0 = Date.now();
    await h.stop(2000);
    await h.exited;
    expect(Date.now() - t0).to.be.below(1500);
  });
});

describe('shared helper', () => {
  it('starts one helper on first use, reports what it loaded, and starts another after it died', async () => {
    const shared = new SharedHelper(fake, 5000);
    expect(shared.reported()).to.equal(undefined);
    const [a, b] = await Promise.all([shared.get(), shared.get()]);
    expect(a).to.equal(b);
    expect(shared.reported()).to.deep.equal({ library: 'fake 1.0', version: '1.0' });
    await a.request('die', {}, 2000, 'death').catch(() => undefined);
    const c = await shared.get();
    expect(c).to.not.equal(a);
    expect((await c.request('echo', { value: 'again' }, 2000, 'echo')).result.echo).to.equal('again');
    await c.stop(500);
  });

  it('does not start again a helper that never answered hello', async () => {
    const shared = new SharedHelper(
      () => fake({ args: ['-e', 'process.stderr.write("ModuleNotFoundError: no module named psycopg\\n"); process.exit(1)'] }),
      5000,
    );
    const first = await shared.get().then(
      () => new Error('it started'),
      (e: unknown) => e as Error,
    );
    expect(first.message).to.match(/fake helper did not start: .*ModuleNotFoundError/s);
    const t0 = Date.now();
    const second = await shared.get().then(
      () => new Error('it started'),
      (e: unknown) => e as Error,
    );
    expect(second.message).to.equal(first.message);
    expect(Date.now() - t0).to.be.below(50);
  });
});
