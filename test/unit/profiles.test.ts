// Profile data is checked here, once, the way the catalogue checks scenarios: a typo in a
// range, a setting or a divergence kind would silently make an entry never apply.
import { expect } from 'chai';
import { DIVERGENCE_KINDS } from '../../harness/kernel/divergence.ts';
import { validate } from '../../harness/kernel/schema.ts';
import { rangeProblem } from '../../harness/kernel/versions.ts';
import { externalPoolers } from '../../harness/poolers/external-poolers.ts';
import { publishedAnswers, type Profile } from '../../harness/poolers/profile.ts';
import { agrees } from '../../harness/report/feature.ts';
import { PROFILE_SCHEMA } from '../../harness/poolers/profile-file.ts';
import { poolers } from '../../harness/poolers/registry.ts';

const profiles: Array<[string, Profile, readonly string[] | undefined]> = [
  ...Object.values(poolers).map((a): [string, Profile, readonly string[]] => [a.id, a.profile, Object.keys(a.settings)]),
  ...Object.values(externalPoolers).map((p): [string, Profile, undefined] => [p.id, p.profile, undefined]),
];

describe('profile data', () => {
  for (const [id, profile, settings] of profiles) {
    it(`${id}: every entry's ranges, settings and divergence kinds are valid`, () => {
      const problems: string[] = [];
      for (const [mode, entries] of Object.entries(profile.modes)) {
        for (const e of entries) {
          const where = `${id} ${mode} "${e.reason.slice(0, 40)}"`;
          for (const range of [e.versions, e.postgres]) if (range && rangeProblem(range)) problems.push(`${where}: ${rangeProblem(range)}`);
          for (const name of Object.keys(e.settings ?? {}))
            if (settings && !settings.includes(name)) problems.push(`${where}: unknown setting ${name}`);
          for (const d of ([] as unknown[]).concat(e.divergence ?? []) as Array<{ kind: string }>)
            if (!(d.kind in DIVERGENCE_KINDS)) problems.push(`${where}: unknown divergence kind ${d.kind}`);
        }
      }
      for (const m of profile.publishedFeatureMaps ?? [])
        if (m.versions && rangeProblem(m.versions)) problems.push(`${id} published map: ${rangeProblem(m.versions)}`);
      expect(problems).to.deep.equal([]);
    });
  }

  for (const [id, profile] of profiles) {
    it(`${id}: could be written as a profile file (the schema users write is the built-ins' own)`, () => {
      const problems = validate(JSON.parse(JSON.stringify(profile)), PROFILE_SCHEMA).map((p) => `${p.path.join('.')}: ${p.message}`);
      expect(problems).to.deep.equal([]);
    });
  }
});

describe('published feature maps', () => {
  const facts = (mode: string, version: string, settings: Record<string, string> = {}) => ({ mode, version, postgresVersion: '18.1', settings });

  it("Odyssey: the pooling page's answers per mode, prepared statements only with pool_reserve_prepared_statement", () => {
    const odyssey = poolers.odyssey.profile;
    expect(publishedAnswers(odyssey, facts('session', '1.5.2'))?.cells).to.deep.equal({
      'set-reset': 'Yes',
      'temp-tables-on-commit-drop': 'Yes',
      'temp-tables-preserve-delete-rows': 'Yes',
    });
    expect(publishedAnswers(odyssey, facts('transaction', '1.5.2', { pool_reserve_prepared_statement: 'yes' }))?.cells).to.include({
      'set-reset': 'not supported',
      'protocol-prepared-statements': 'can use',
    });
    expect(publishedAnswers(odyssey, facts('transaction', '1.5.2', { pool_reserve_prepared_statement: 'no' }))?.cells).to.not.have.property(
      'protocol-prepared-statements',
    );
    expect(publishedAnswers(odyssey, facts('transaction', '1.4.0'))).to.equal(undefined);
  });

  it("pgpool-II: the Restrictions page's temporary tables", () => {
    expect(publishedAnswers(poolers.pgpool.profile, facts('cache', '4.7.3'))).to.deep.equal({
      link: 'https://www.pgpool.net/docs/43/en/html/restrictions.html',
      cells: { 'temp-tables-preserve-delete-rows': 'deleted at the end of the session' },
    });
  });

  it('a documented refusal agrees with No or Partial, any other answer needs Yes', () => {
    for (const refusal of ['No', 'Never', 'not supported', 'cannot']) {
      expect([agrees('No', refusal), agrees('Partial', refusal), agrees('Yes', refusal)], refusal).to.deep.equal([true, true, false]);
    }
    for (const answer of ['Yes', 'can use', 'deleted at the end of the session']) {
      expect([agrees('No', answer), agrees('Partial', answer), agrees('Yes', answer)], answer).to.deep.equal([false, false, true]);
    }
  });
});
