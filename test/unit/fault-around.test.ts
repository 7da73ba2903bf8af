// What the check after a scenario makes of the servers around it (scenario/infrastructure.ts): the
// cause is data, so a stall is told from any other fault without reading the message.
import { expect } from 'chai';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { faultAround, type Surroundings } from '../../harness/scenario/infrastructure.ts';

const noAnswer = (extra: Partial<Divergence> = {}): ScenarioRun => ({
  scenario: 's/x',
  category: 's',
  target: 'pgbouncer:transaction',
  driver: 'raw',
  outcome: 'diverge',
  durationMs: 10,
  steps: [],
  divergence: { step: 1, session: 'a', kind: 'no-answer', expected: 'e', observed: 'o', ...extra },
});
const still: Surroundings = { unanswered: false, restarted: false };

describe('a fault around a scenario', () => {
  it('is a stall where a login got no answer and a fresh one right after did', () => {
    const fault = faultAround(noAnswer({ atLogin: true }), still, true);
    expect(fault?.cause).to.equal('stall');
    expect(fault?.why).to.match(/the pooler \(or the machine\) stalled/);
    expect(faultAround(noAnswer({ atLogin: true }), still, false)?.why).to.match(/PostgreSQL \(or the machine\) stalled/);
  });

  it('is the infrastructure where PostgreSQL restarted, did not answer or a fresh client got no answer either', () => {
    const login = noAnswer({ atLogin: true });
    expect(faultAround(login, { ...still, restarted: true }, true)?.cause).to.equal('infrastructure');
    expect(faultAround(login, { unanswered: true, restarted: true }, true)?.cause).to.equal('infrastructure');
    expect(faultAround(login, { ...still, refused: 'timed out' }, true)).to.include({ cause: 'infrastructure' });
  });

  it('is none where the servers held still and no login went unanswered', () => {
    expect(faultAround(noAnswer(), still, true)).to.equal(undefined);
    expect(faultAround({ ...noAnswer(), divergence: { step: 1, session: 'a', kind: 'rows', expected: 'e', observed: 'o' } }, still, true)).to.equal(
      undefined,
    );
  });
});
