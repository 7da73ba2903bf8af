// A profile entry that says a scenario crashes the pooler keeps it from running where the
// entry surely holds: its release range, drivers and mode, and the scenario's traits.
import { expect } from 'chai';
import { stopsThePooler, type Profile, type TargetFacts } from '../../harness/poolers/profile.ts';
import { scenarioTraits } from '../../harness/scenario/traits.ts';
import { withSteps } from '../scenario-fixture.ts';

const facts = (version: string | null, mode = 'transaction'): TargetFacts => ({ mode, version, postgresVersion: '15.4', settings: {} });

const profile: Profile = {
  pooler: 'p',
  checked: ['1.18.0'],
  modes: {
    transaction: [
      { scenarios: 'cancel/*', reason: 'documented only', link: 'https://example.org/doc', drivers: ['pgx'] },
      {
        scenarios: ['cancel/seen-here'],
        traits: ['driver-cancel'],
        drivers: ['tokio-postgres'],
        versions: '>=1.18.0 <1.19.1',
        stopsThePooler: true,
        reason: 'it exits',
        link: 'https://example.org/801',
      },
    ],
  },
};

describe('entries that stop the pooler', () => {
  const cancels = new Set(['driver-cancel'] as const);

  it('hold for the drivers, releases and traits they name', () => {
    expect(stopsThePooler(profile, facts('1.18.0'), 'cancel/own-running-query', 'tokio-postgres', cancels)?.reason).to.equal('it exits');
    expect(stopsThePooler(profile, facts('1.19.1'), 'cancel/own-running-query', 'tokio-postgres', cancels)).to.equal(undefined);
    expect(stopsThePooler(profile, facts('1.18.0'), 'cancel/own-running-query', 'pgx', cancels)).to.equal(undefined);
    expect(stopsThePooler(profile, facts('1.18.0'), 'cancel/own-running-query', 'tokio-postgres')).to.equal(undefined);
    expect(stopsThePooler(profile, facts('1.18.0', 'session'), 'cancel/own-running-query', 'tokio-postgres', cancels)).to.equal(undefined);
  });

  it('do not keep a scenario from running on a release poolcheck does not know', () => {
    expect(stopsThePooler(profile, facts(null), 'cancel/own-running-query', 'tokio-postgres', cancels)).to.equal(undefined);
  });

  it("see a driver's own cancel as a trait, and a raw CancelRequest with chosen keys not", () => {
    expect(
      scenarioTraits(
        withSteps([
          { session: 'a', sql: 'SELECT pg_sleep(1)', background: 'q' },
          { session: 'a', cancel: true },
          { session: 'a', await: 'q' },
        ]),
      ).has('driver-cancel'),
    ).to.equal(true);
    expect(
      scenarioTraits(
        withSteps([
          { session: 'a', sql: 'SELECT 1', savePid: 'pa' },
          { session: 'a', cancel: { pid: '$pa', secret: 'own' } },
        ]),
      ).has('driver-cancel'),
    ).to.equal(false);
  });
});
