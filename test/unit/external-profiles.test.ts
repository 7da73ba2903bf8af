import { expect } from 'chai';
import { matchesId } from '../../harness/kernel/id-glob.ts';
import { externalPoolerIds, externalPoolers, externalPooler } from '../../harness/poolers/external-poolers.ts';
import { poolerIds } from '../../harness/poolers/registry.ts';
import { applicableEntries, type Profile } from '../../harness/poolers/profile.ts';

const expectedDivergence = (profile: Profile, mode: string, scenario: string, driver: string) =>
  applicableEntries(profile, { mode, version: null, postgresVersion: null, settings: {} }, scenario, driver)[0];
import { loadCatalog } from '../../harness/scenario/catalog.ts';

// Profiles of poolers that cannot run here are never checked by a run, so the checks a run
// would make (an entry names real scenarios, cites a source) are made here.
describe('profiles of external poolers', () => {
  let ids: string[] = [];
  before(async () => {
    ids = (await loadCatalog()).scenarios.map((s) => s.id);
  });

  it("are registered under their profile's pooler id, modes in the profile's order, apart from the local poolers", () => {
    expect(externalPoolerIds).to.include.members(['yugabyte-ysql-cm', 'polardb-proxy']);
    for (const id of externalPoolerIds) {
      const p = externalPoolers[id];
      expect(p.id, id).to.equal(id);
      expect(p.profile.pooler, id).to.equal(id);
      expect(p.modes, id).to.deep.equal(Object.keys(p.profile.modes));
      expect(p.docs, id).to.match(/^https:\/\//);
      expect(p.profile.checked, id).to.deep.equal([]);
      expect(p.profile.basis, id).to.match(/not run live/);
      expect((poolerIds as string[]).includes(id), `${id} is also a local pooler`).to.equal(false);
    }
    expect(() => externalPooler('nope')).to.throw(/known: yugabyte-ysql-cm, polardb-proxy/);
  });

  it('name at least one existing scenario with every pattern, with a reason and an https link', () => {
    for (const id of externalPoolerIds) {
      for (const [mode, entries] of Object.entries(externalPoolers[id].profile.modes)) {
        expect(entries.length, `${id}:${mode} has entries`).to.be.greaterThan(0);
        for (const e of entries) {
          const where = `${id}:${mode}: ${e.reason.slice(0, 60)}`;
          const patterns = ([] as string[]).concat(e.scenarios);
          expect(patterns.length, where).to.be.greaterThan(0);
          for (const p of patterns)
            expect(
              ids.some((s) => matchesId(s, p)),
              `${where}: ${p} names no scenario`,
            ).to.equal(true);
          expect(e.reason.trim().length, where).to.be.greaterThan(20);
          expect(e.link, where).to.match(/^https:\/\/\S+$/);
          if (e.source === 'issue') expect(e.link, where).to.match(/^https:\/\/github\.com\/[^/]+\/[^/]+\/issues\/\d+$/);
        }
      }
    }
  });

  it('expect what their docs say per YCM sequence mode, and leave sticky features expected to pass', () => {
    const ycm = externalPoolers['yugabyte-ysql-cm'].profile;
    const currval = 'sequences/currval-sees-other-clients-nextval';
    expect(expectedDivergence(ycm, 'pooled_without_curval_lastval', currval, 'raw')).to.not.equal(undefined);
    expect(expectedDivergence(ycm, 'pooled_with_curval_lastval', currval, 'raw')).to.equal(undefined);
    expect(expectedDivergence(ycm, 'session', currval, 'raw')).to.equal(undefined);
    for (const sticky of [
      'session-state/temp-table-visible-to-next-client',
      'session-objects/cursor-with-hold-survives-commit',
      'prepared-statements/sql-prepared-reused-in-later-transaction',
    ]) {
      for (const mode of externalPoolers['yugabyte-ysql-cm'].modes)
        expect(expectedDivergence(ycm, mode, sticky, 'raw'), `${mode} ${sticky}`).to.equal(undefined);
    }
    const polar = externalPoolers['polardb-proxy'].profile;
    expect(expectedDivergence(polar, 'transaction', 'session-state/notify-reaches-listener', 'pg')).to.not.equal(undefined);
    // Pinned by the proxy (PREPARE, temp tables, COPY): expected to behave like PostgreSQL.
    for (const pinned of [
      'prepared-statements/sql-execute-from-other-client',
      'session-state/temp-table-visible-to-next-client',
      'protocol-framing/copy-from-stdin',
    ]) {
      expect(expectedDivergence(polar, 'transaction', pinned, 'raw'), pinned).to.equal(undefined);
    }
  });
});
