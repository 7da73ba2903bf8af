// The slots shared by every lane of a run: never more at once than there are, handed out in
// the order they were asked for, and a slot given back twice counts once.
import { expect } from 'chai';
import { Slots } from '../../harness/kernel/slots.ts';

describe('slots shared by the lanes of a run', () => {
  it('let at most their number of workers run at once, first come first served', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = async (i: number) => {
      const release = await slots.take();
      order.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      release();
      release();
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(work));
    expect(most).to.equal(2);
    expect(order).to.deep.equal([0, 1, 2, 3, 4, 5]);
    // Every slot is back: two can be taken at once again, a third waits.
    const [a, b] = [await slots.take(), await slots.take()];
    let third = false;
    void slots.take().then(() => {
      third = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(third).to.equal(false);
    a();
    await new Promise((r) => setImmediate(r));
    expect(third).to.equal(true);
    b();
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => new Slots(0)).to.throw(/positive integer/);
  });
});
