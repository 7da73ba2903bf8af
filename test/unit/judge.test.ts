// The one judge (report/judge.ts) as the run and the fuzzer share it: the profiles merged with the
// catalogue's known issues, and each scenario's traits, whichever question it answers.
import { expect } from 'chai';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import type { Profile } from '../../harness/poolers/profile.ts';
import { createJudge } from '../../harness/report/judge.ts';
import { targetFacts } from '../../harness/targets/target-settings.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { withSteps } from '../scenario-fixture.ts';

const rows: Divergence = { step: 1, session: 'a', kind: 'rows', expected: 'rows [["1"]]', observed: 'rows [["2"]]' };
const target = (id: string) => {
  const spec = parseTarget(id);
  return { spec, facts: targetFacts(spec, '1.18.0', '15.4') };
};

describe('the judge a run and the fuzzer share', () => {
  const known = withSteps([{ session: 'a', sql: 'SELECT 1' }], {
    id: 'drivers/case-known-bug',
    known: [{ pooler: 'pgbouncer', modes: ['transaction'], reason: 'the reported bug', link: 'https://example.org/1', divergence: { kind: 'rows' } }],
  });

  it("finds the entry documenting a divergence among the cases' known issues", () => {
    const judge = createJudge([], [known]);
    expect(judge.documenting(known.id, target('pgbouncer:transaction'), 'raw', [rows])?.reason).to.equal('the reported bug');
    expect(judge.documenting(known.id, target('pgbouncer:session'), 'raw', [rows])).to.equal(undefined);
    expect(createJudge([], []).documenting(known.id, target('pgbouncer:transaction'), 'raw', [rows])).to.equal(undefined);
  });

  it("reads an entry that names a trait against the scenario's traits", () => {
    const profile: Profile = {
      pooler: 'p',
      checked: ['1.0.0'],
      modes: {
        statement: [{ scenarios: [], traits: ['transaction-block'], reason: 'no transaction blocks', link: 'l', divergence: { kind: 'error' } }],
      },
    };
    const block = withSteps([{ session: 'a', sql: 'BEGIN' }], { id: 'drivers/open-block' });
    const error: Divergence = { ...rows, kind: 'error', sqlstate: '08P01' };
    const on = { spec: { pooler: 'p' }, facts: { mode: 'statement', version: '1.0.0', postgresVersion: '15.4', settings: {} } };
    expect(createJudge([profile], [block]).documenting(block.id, on, 'raw', [error])?.reason).to.equal('no transaction blocks');
    expect(createJudge([profile], []).documenting(block.id, on, 'raw', [error])).to.equal(undefined);
  });
});
