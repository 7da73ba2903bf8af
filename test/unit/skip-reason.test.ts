import { expect } from 'chai';
import { drivers } from '../../harness/drivers/registry.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';
import { mostRepeatedStatement, skipReason } from '../../harness/scenario/skip-reason.ts';
import { withSteps as scenario } from '../scenario-fixture.ts';

const times = (n: number, session = 'a', sql = 'SELECT 1'): StepSpec[] => Array.from({ length: n }, () => ({ session, sql }));

describe('skipReason', () => {
  it('counts repeats of one SQL text per session, not across sessions or on the observer', () => {
    expect(mostRepeatedStatement(scenario([...times(3), ...times(3, 'b'), ...times(6, 'observer')]))).to.equal(3);
    expect(mostRepeatedStatement(scenario([...times(2), ...times(2, 'a', 'SELECT 2'), { session: 'a', connect: true }]))).to.equal(2);
    expect(mostRepeatedStatement(scenario([{ session: 'a', connect: true }]))).to.equal(0);
  });

  it('skips a prepare-threshold variant below its threshold, naming the driver whose result stands for it', () => {
    const variant = drivers['psycopg:pooler-safe'];
    expect(skipReason(scenario(times(4)), variant)).to.match(/sends what psycopg sends here: no statement runs 5 times on one connection/);
    expect(skipReason(scenario(times(5)), variant)).to.equal(undefined);
    expect(skipReason(scenario(times(4)), drivers.psycopg)).to.equal(undefined);
  });

  it('names the missing capabilities first', () => {
    const s = scenario([{ session: 'a', cancel: true }]);
    expect(skipReason(s, drivers['asyncpg'])).to.equal('driver asyncpg lacks cancel');
    expect(skipReason(s, drivers['pgjdbc:pooler-safe'])).to.match(/sends what pgjdbc sends/);
  });
});
