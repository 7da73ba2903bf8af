import { expect } from 'chai';
import { scenarioTraits } from '../../harness/scenario/traits.ts';
import { withSteps } from '../scenario-fixture.ts';

const withSql = (...sql: string[]) => withSteps(sql.map((q) => ({ session: 'a', sql: q })));

describe('scenario traits', () => {
  it('marks a BEGIN left open across statements as a transaction block', () => {
    expect(scenarioTraits(withSql('BEGIN', 'SELECT 1', 'COMMIT')).has('transaction-block')).to.equal(true);
    expect(scenarioTraits(withSql('start transaction isolation level repeatable read')).has('transaction-block')).to.equal(true);
  });

  it("does not mark a whole transaction in one query string, or the observer's BEGIN", () => {
    expect(scenarioTraits(withSql('BEGIN; INSERT INTO t VALUES (1); COMMIT')).has('transaction-block')).to.equal(false);
    const s = withSteps([{ session: 'observer', sql: 'BEGIN' }]);
    expect(scenarioTraits(s).size).to.equal(0);
  });
});
