import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadProfileFile } from '../../harness/poolers/profile-file.ts';
import { applicableEntries } from '../../harness/poolers/profile.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { tempDir } from '../temp-dir.ts';

const write = (text: string) => {
  const file = path.join(tempDir('pc-profile-'), 'my-pooler.yaml');
  writeFileSync(file, text);
  return file;
};

const GOOD = `pooler: my-pooler
checked: ["2.1.0"]
modes:
  transaction:
    - scenarios: session-state/set-*
      reason: SET stays on the shared server connection
      link: https://example.org/docs/limitations
      versions: "<3"
      divergence: { kind: rows }
    - scenarios: [prepared-statements/named-same-name-in-two-clients]
      drivers: [raw, pg]
      reason: statements live on the server
      link: https://example.org/issues/12
      source: issue
      divergence: [{ kind: error, sqlstate: 42P05 }]
`;

describe('profile files', () => {
  it("load a profile a user wrote, which then applies to that pooler's targets", () => {
    const profile = loadProfileFile(write(GOOD));
    expect(profile.pooler).to.equal('my-pooler');
    expect(parseTarget('my-pooler:transaction', { profiles: [profile] })).to.include({ pooler: 'my-pooler', mode: 'transaction' });
    const facts = { mode: 'transaction', version: '2.1.0', postgresVersion: '17.2', settings: {} };
    expect(applicableEntries(profile, facts, 'session-state/set-visible-to-next-client', 'raw')[0]?.link).to.equal(
      'https://example.org/docs/limitations',
    );
    expect(applicableEntries(profile, { ...facts, version: '3.0.1' }, 'session-state/set-visible-to-next-client', 'raw')).to.deep.equal([]);
  });

  it('report every mistake with file:line:col, and a likely meant key', () => {
    const bad = GOOD.replace('reason: SET stays', 'reasn: SET stays').replace('kind: rows', 'kind: rowz');
    const file = write(bad);
    expect(() => loadProfileFile(file)).to.throw(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6:7: unknown key "reasn"; did you mean "reason"\\?`),
    );
    expect(() => loadProfileFile(file)).to.throw(/"rowz" is not one of .*did you mean "rows"\?/);
    expect(() => loadProfileFile(write(GOOD.replace('drivers: [raw, pg]', 'drivers: [raw, pq]')))).to.throw(
      /:11:22: "pq" is not one of .*did you mean "pg"/,
    );
    expect(() => loadProfileFile(write(GOOD.replace('versions: "<3"', 'versions: "newer than 3"')))).to.throw(/is not a version range/);
    expect(() => loadProfileFile(write('pooler: x\nmodes: [oops'))).to.throw(/my-pooler\.yaml:2:\d+: /);
  });

  it('take a pooler poolcheck never heard of as a target only where it may (external)', () => {
    expect(() => parseTarget('mypooler:transaction')).to.throw(/unknown target "mypooler:transaction".*--provider external/);
    expect(parseTarget('mypooler:transaction', { anyPooler: true })).to.deep.equal({
      id: 'mypooler:transaction',
      pooler: 'mypooler',
      mode: 'transaction',
      settings: {},
    });
    expect(() => parseTarget('mypooler', { anyPooler: true })).to.throw(/<pooler>:<mode>/);
  });
});
