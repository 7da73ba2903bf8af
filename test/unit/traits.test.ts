import { expect } from 'chai';
import { scenarioTraits } from '../../harness/scenario/traits.ts';
import { msg } from '../../harness/scenario/define.ts';
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

  it('reads a message list up to each ReadyForQuery: a Parse-made BEGIN is open at a Sync unless its ROLLBACK came first', () => {
    const messages = (...m: ReturnType<typeof msg.sync>[]) => withSteps([{ session: 'a', messages: m }]);
    const run = (sql: string) => [msg.parse('', sql), msg.bind(), msg.execute()];
    expect(scenarioTraits(messages(...run('BEGIN'), ...run('SELECT 1'), ...run('ROLLBACK'), msg.sync())).has('transaction-block')).to.equal(false);
    expect(scenarioTraits(messages(...run('BEGIN'), msg.sync(), ...run('ROLLBACK'), msg.sync())).has('transaction-block')).to.equal(true);
    expect(
      scenarioTraits(withSteps([{ session: 'a', messages: [...run('BEGIN'), msg.flush()], until: 'CommandComplete' }])).has('transaction-block'),
    ).to.equal(true);
    expect(scenarioTraits(messages(msg.query('BEGIN'), msg.query('COMMIT'))).has('transaction-block')).to.equal(true);
  });
});
