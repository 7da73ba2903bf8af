import { expect } from 'chai';
import { settingsSkipReason } from '../../harness/scenario/skip-reason.ts';
import type { Scenario } from '../../harness/scenario/model.ts';
import type { TargetSpec } from '../../harness/targets/target-spec.ts';

const needs = { poolerSettings: { pgbouncer: { max_prepared_statements: '0' } } } as unknown as Scenario;
const target = (settings: Record<string, string>): TargetSpec => ({
  id: 'pgbouncer:transaction',
  pooler: 'pgbouncer',
  mode: 'transaction',
  settings,
});

describe('a scenario that needs pooler settings', () => {
  it('runs where the target runs them, and on direct and other poolers', () => {
    expect(settingsSkipReason(needs, target({ max_prepared_statements: '0' }), { max_prepared_statements: '0' })).to.equal(undefined);
    expect(settingsSkipReason(needs, { id: 'direct', settings: {} } as unknown as TargetSpec, {})).to.equal(undefined);
    expect(settingsSkipReason(needs, { id: 'pgpool:cache', pooler: 'pgpool', mode: 'cache', settings: {} }, {})).to.equal(undefined);
  });

  it('is skipped elsewhere, naming the value it needs, the one the target runs and the target to run it with', () => {
    expect(settingsSkipReason(needs, target({}), { max_prepared_statements: '200' })).to.equal(
      "needs max_prepared_statements=0 (this target runs max_prepared_statements=200): run it with --targets 'pgbouncer:transaction{max_prepared_statements=0}'",
    );
  });
});
