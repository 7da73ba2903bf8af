import { expect } from 'chai';
import { missingCapabilities } from '../../harness/scenario/capabilities.ts';
import { drivers } from '../../harness/drivers/registry.ts';
import path from 'node:path';
import { loadCatalog, SUITES_DIR } from '../../harness/scenario/catalog.ts';
import { poolers } from '../../harness/poolers/registry.ts';
import { externalPoolers } from '../../harness/poolers/external-poolers.ts';
import { matchesId } from '../../harness/kernel/id-glob.ts';
import { scenarioTraits } from '../../harness/scenario/traits.ts';
import { matchesFeature } from '../../harness/report/feature-map.ts';

describe('the scenario catalogue', () => {
  it('loads every suite file and case file, each valid, with a why', async () => {
    const { scenarios: all, broken } = await loadCatalog();
    expect(all.length).to.be.at.least(40);
    expect(broken.map((b) => `${b.source}: ${b.problems.join('; ')}`)).to.deep.equal([]);
    for (const s of all) {
      expect(s.why.length, `${s.id} why`).to.be.greaterThan(20);
      expect(s.source, s.id).to.be.a('string');
    }
    expect(all.some((s) => s.source.endsWith('.yaml:3') || /\.yaml:\d+$/.test(s.source))).to.equal(true);
  });

  it('can run every scenario with some registered driver, so each is decided at least once', async () => {
    for (const s of (await loadCatalog()).scenarios) {
      expect(
        Object.values(drivers).some((d) => missingCapabilities(s, d).length === 0),
        s.id,
      ).to.equal(true);
    }
  });

  // Only poolcheck's own suites: a case someone adds to suites/cases (or loads with --cases)
  // reproduces a bug report, and needs no feature-map row for npm test to pass.
  it('puts every scenario of the suites in a feature-map row, and no row is empty', async () => {
    const catalog = await loadCatalog();
    const { features } = catalog;
    const all = catalog.scenarios.filter((s) => s.origin.shipped && s.origin.folder !== path.join(SUITES_DIR, 'cases'));
    expect(features.length).to.be.at.least(10);
    expect(all.filter((s) => !features.some((f) => matchesFeature(f, s.id))).map((s) => s.id)).to.deep.equal([]);
    for (const f of features)
      expect(
        all.some((s) => matchesFeature(f, s.id)),
        f.id,
      ).to.equal(true);
  });

  it('has no profile entry that names no scenario (a typo would hide a regression)', async () => {
    const { scenarios } = await loadCatalog();
    const ids = scenarios.map((s) => s.id);
    const profiles = [...Object.values(poolers).map((a) => a.profile), ...Object.values(externalPoolers).map((p) => p.profile)];
    for (const profile of profiles) {
      for (const [mode, entries] of Object.entries(profile.modes)) {
        for (const e of entries) {
          const where = `${profile.pooler} ${mode}`;
          for (const p of ([] as string[]).concat(e.scenarios))
            expect(
              ids.some((id) => matchesId(id, p)),
              `${where}: ${p}`,
            ).to.equal(true);
          for (const t of e.traits ?? [])
            expect(
              scenarios.some((s) => scenarioTraits(s).has(t)),
              `${where}: trait ${t}`,
            ).to.equal(true);
          expect(e.link, `${where}: ${e.reason}`).to.match(/^https:\/\//);
        }
      }
    }
  });
});
