import { expect } from 'chai';
import { odyssey } from '../../harness/poolers/odyssey/adapter.ts';
import { pgbouncer } from '../../harness/poolers/pgbouncer/adapter.ts';
import { effectiveSettings, toggledSettings } from '../../harness/poolers/settings.ts';
import { targetFacts } from '../../harness/targets/target-settings.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { renderFor } from '../render-fixture.ts';

describe('pooler settings as a release runs them', () => {
  it('takes a default by release range, and behaves like the first entry before the setting existed', () => {
    expect(effectiveSettings(pgbouncer.settings, {}, '1.24.1', 'transaction').max_prepared_statements).to.equal('200');
    expect(effectiveSettings(pgbouncer.settings, { max_prepared_statements: '0' }, '1.24.1', 'transaction').max_prepared_statements).to.equal('0');
    // 1.18 has no such setting: it behaves as if it were 0 (statements are not tracked).
    expect(effectiveSettings(pgbouncer.settings, {}, '1.18.0', 'transaction').max_prepared_statements).to.equal('0');
  });

  it("derives a default from another setting and from the mode (Odyssey's discard options follow prepared-statement support)", () => {
    const tx = effectiveSettings(odyssey.settings, {}, '1.5.2', 'transaction');
    expect([tx.pool_reserve_prepared_statement, tx.pool_discard, tx.pool_smart_discard]).to.deep.equal(['yes', 'no', 'yes']);
    const off = effectiveSettings(odyssey.settings, { pool_reserve_prepared_statement: 'no' }, '1.5.2', 'transaction');
    expect([off.pool_discard, off.pool_smart_discard]).to.deep.equal(['yes', 'no']);
    const session = effectiveSettings(odyssey.settings, {}, '1.5.2', 'session');
    expect([session.pool_reserve_prepared_statement, session.pool_discard]).to.deep.equal(['no', 'yes']);
  });

  it("writes Odyssey's options as the target's facts have them, so its config and the profile's conditions agree", () => {
    const spec = parseTarget('odyssey:transaction{pool_reserve_prepared_statement=no}');
    const facts = targetFacts(spec, '1.5.2', '17.6');
    const conf = renderFor(odyssey, { mode: 'transaction', settings: spec.settings, effectiveSettings: facts.settings, version: facts.version })
      .files['odyssey.conf'];
    for (const [name, value] of Object.entries(facts.settings)) expect(conf).to.contain(`\t\t${name} ${value}\n`);
    expect(facts.settings).to.include({ pool_reserve_prepared_statement: 'no', pool_discard: 'yes', pool_smart_discard: 'no' });
  });

  it('toggles a feature switch only in the modes it changes', () => {
    expect(toggledSettings(odyssey.settings, 'transaction', '1.5.2')).to.deep.equal([{ pool_reserve_prepared_statement: 'no' }]);
    expect(toggledSettings(odyssey.settings, 'session', '1.5.2')).to.deep.equal([]);
  });
});
