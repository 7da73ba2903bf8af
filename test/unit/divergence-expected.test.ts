// A divergence where the pooler closed the connection or did not answer: its "expected" side is
// what PostgreSQL answered at that step, never a copy of what the pooler did.
import { expect } from 'chai';
import { ConnectionLostError, DeadlineError } from '../../harness/kernel/errors.ts';
import { applyBaseline } from '../../harness/report/verdict.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { runScenario } from '../../harness/scenario/runner.ts';
import { withSteps } from '../scenario-fixture.ts';
import { fakeContext, rows, type Answer } from './fake-session.ts';

const SQL = 'SELECT 1';
const on = (target: string, answer: Answer) => {
  const ctx = fakeContext({ answers: { a: { [SQL]: [answer] } } });
  return runScenario(withSteps([{ session: 'a', sql: SQL, expect: { rows: [['1']] } }]), {
    ...ctx,
    target: { ...ctx.target, spec: { ...ctx.target.spec, id: target } },
  });
};

describe('the expected side of a divergence where the pooler closed or did not answer', () => {
  it("is PostgreSQL's answer at that step, from the direct result", async () => {
    const direct = await on('direct', rows(['1']));
    for (const [answer, kind] of [
      [new ConnectionLostError('a: the server closed the connection', '08P01'), 'closed'],
      [new DeadlineError('timed out after 200ms waiting for a reply'), 'no-answer'],
    ] as const) {
      const pooler = await on('pgbouncer:transaction', answer);
      expect(pooler.divergence).to.include({ kind });
      expect(pooler.divergence?.expected, kind).not.to.equal(pooler.divergence?.observed);
      expect(pooler.message, kind).to.equal(`step 1 (a: SELECT 1): ${answer.message}`);
      const [, judged] = applyBaseline([direct, pooler]);
      expect(judged.divergence, kind).to.include({ expected: 'rows [["1"]]', observed: answer.message });
      expect(judged.message, kind).to.equal(`step 1 (a: SELECT 1): ${answer.message}; PostgreSQL: rows [["1"]]`);
    }
  });

  it('is filled in every attempt of a result that ran more than once', async () => {
    const direct = await on('direct', rows(['1']));
    const pooler = await on('pgbouncer:transaction', new ConnectionLostError('a: the server closed the connection'));
    const twice: ScenarioRun = {
      ...pooler,
      attempts: [
        { outcome: 'diverge', durationMs: 1, divergence: pooler.divergence },
        { outcome: 'pass', durationMs: 1 },
      ],
    };
    const [, judged] = applyBaseline([direct, twice]);
    expect(judged.attempts?.[0].divergence?.expected).to.equal('rows [["1"]]');
  });
});
