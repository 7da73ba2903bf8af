import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCaseFile } from '../../harness/scenario/case-file.ts';
import { tempDir } from '../temp-dir.ts';

const write = (text: string) => {
  const file = path.join(tempDir('pc-case-'), 'case.yaml');
  writeFileSync(file, text);
  return file;
};

describe('YAML case files', () => {
  it('load into the scenario model', () => {
    const [s] = loadCaseFile(write(`id: sequences/from-a-bug-report
category: sequences
why: a bug report
pool: single
setup: ["CREATE SEQUENCE {{seq}}"]
sessions: { a: {}, b: {} }
steps:
  - { session: a, sql: "SELECT nextval('{{seq}}')", save: v }
  - { session: a, sql: "SELECT currval('{{seq}}')", expect: { rows: [[$v]] } }
`), 'case.yaml');
    expect(s.id).to.equal('sequences/from-a-bug-report');
    expect(s.steps[1].expect?.rows).to.deep.equal([['$v']]);
    expect(s.source).to.equal('case.yaml:1');
  });

  it('report malformed YAML with file and line', () => {
    expect(() => loadCaseFile(write('id: x\nsteps: [\n  - { a: 1\n'), 'bad.yaml')).to.throw(/^bad\.yaml:\d+: /);
  });

  it('point an invalid step at its own line', () => {
    const text = `id: sequences/broken
category: sequences
why: w
pool: single
sessions: { a: {} }
steps:
  - { session: a, sql: "SELECT 1" }
  - { session: b, sql: "SELECT 2" }
`;
    expect(() => loadCaseFile(write(text), 'broken.yaml')).to.throw(/^broken\.yaml:8: invalid scenario sequences\/broken: step 2: unknown session "b"/);
  });
});
