import { expect } from 'chai';
import type { PoolShapes } from '../../harness/poolers/pool-shape.ts';
import { planPools, PremiseWatch, type PremiseProbe } from '../../harness/scenario/premise.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';
import { withSteps } from '../scenario-fixture.ts';

const shapes = (holds: 'session' | 'transaction', clients?: number): PoolShapes => ({
  single: { servers: 1, holds, reuse: 'r', ...(clients ? { clients } : {}) },
  wide: { servers: 20, holds, reuse: 'r' },
});

const sql = (session: string, text = 'SELECT 1'): StepSpec => ({ session, sql: text });
const leave = (session: string): StepSpec => ({ session, disconnect: 'terminate' });

describe('the premise of a cross-client scenario', () => {
  it('plans nothing on PostgreSQL itself: every client has a backend of its own', () => {
    const plan = planPools(withSteps([sql('a'), sql('b')]), undefined);
    expect([...plan.followers]).to.deep.equal([]);
    expect(plan.pools.get('b')).to.equal('single');
  });

  it('makes the next client a follower in transaction pooling, whether or not the first one left', () => {
    const plan = planPools(withSteps([sql('a'), sql('b')]), shapes('transaction'));
    expect([...plan.followers]).to.deep.equal(['b']);
    expect(plan.moved.size).to.equal(0);
  });

  it('gives a client that starts while another holds the one server a server of its own in session pooling', () => {
    const plan = planPools(withSteps([sql('a'), sql('b')]), shapes('session'));
    expect(plan.pools.get('b')).to.equal('wide');
    expect(plan.followers.size).to.equal(0);
    expect(plan.moved.get('b')).to.match(/a holds the single pool's one server connection/);
  });

  it('makes a client that starts after the holder left a follower in session pooling', () => {
    const plan = planPools(withSteps([sql('a'), leave('a'), sql('b')]), shapes('session'));
    expect(plan.pools.get('b')).to.equal('single');
    expect([...plan.followers]).to.deep.equal(['b']);
  });

  it('keeps a client waiting for the one server when the scenario asks (a case about the queue)', () => {
    const plan = planPools(withSteps([sql('a'), sql('b')], { singleHeld: 'wait' }), shapes('session'));
    expect(plan.pools.get('b')).to.equal('single');
  });

  it('cannot run a cancel where the pool serves one client at a time and the canceller is that client', () => {
    const steps: StepSpec[] = [
      { session: 'a', sql: 'SELECT pg_sleep(5)', background: 'q' },
      { session: 'a', cancel: true },
      { session: 'a', await: 'q' },
    ];
    expect(planPools(withSteps(steps), shapes('session', 1)).cannot).to.match(/CancelRequest would wait/);
    expect(planPools(withSteps(steps), shapes('session')).cannot).to.equal(undefined);
  });

  describe('checked while it runs', () => {
    /** A lane whose backends the steps change as a real pooler would. */
    const watch = (plan: ReturnType<typeof planPools>, lane: Set<number>) => {
      const notes: string[] = [];
      const probe: PremiseProbe = { backends: async () => new Set(lane), note: (s, t) => notes.push(`${s}: ${t}`), pids: () => undefined };
      return { w: new PremiseWatch(plan, probe), notes };
    };
    const plan = planPools(withSteps([sql('a'), leave('a'), sql('b')]), shapes('session'));
    const [a1, , b1] = withSteps([sql('a'), leave('a'), sql('b')]).steps;

    it('holds when the follower lands on the server the first client used', async () => {
      const lane = new Set<number>();
      const { w, notes } = watch(plan, lane);
      await w.beforeStep(a1);
      lane.add(101);
      await w.afterStep('a', 'sql');
      await w.beforeStep(b1);
      await w.afterStep('b', 'sql');
      expect(w.premise).to.deep.equal({ premise: 'held' });
      expect(notes.join('\n')).to.match(/b is on the server connection a used/);
    });

    it('fails when the follower gets a new server while the one the first client used is still there', async () => {
      const lane = new Set<number>();
      const { w } = watch(plan, lane);
      await w.beforeStep(a1);
      lane.add(101);
      await w.afterStep('a', 'sql');
      await w.beforeStep(b1);
      lane.add(102);
      await w.afterStep('b', 'sql');
      expect(w.premise).to.deep.equal({ premise: 'failed', reason: 'b got another server connection while the one a used was idle' });
    });

    it("holds when the server the first client used is gone (the pooler closed it): the follower met the pooler's answer", async () => {
      const lane = new Set<number>();
      const { w } = watch(plan, lane);
      await w.beforeStep(a1);
      lane.add(101);
      await w.afterStep('a', 'sql');
      await w.beforeStep(b1);
      lane.delete(101);
      lane.add(102);
      await w.afterStep('b', 'sql');
      expect(w.premise?.premise).to.equal('held');
    });

    it('says nothing where no client was meant to follow another', async () => {
      const { w } = watch(planPools(withSteps([sql('a'), sql('b')]), shapes('session')), new Set());
      expect(w.premise).to.equal(undefined);
    });
  });
});
