import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCaseFile } from '../../harness/scenario/case-file.ts';
import { loadCatalog, selectScenarios, caseSelectorProblem } from '../../harness/scenario/catalog.ts';
import type { Origin } from '../../harness/scenario/model.ts';
import { tempDir } from '../temp-dir.ts';

const origin: Origin = { shipped: false, folder: '/cases' };

const write = (text: string, name = 'case.yaml', dir = tempDir('pc-case-')) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

const GOOD = `id: sequences/from-a-bug-report
category: sequences
why: a bug report
pool: single
setup: ["CREATE SEQUENCE {{seq}}"]
sessions: { a: {}, b: {} }
steps:
  - { session: a, sql: "SELECT nextval('{{seq}}')", save: v }
  - { session: a, sql: "SELECT currval('{{seq}}')", expect: { rows: [[$v]] } }
`;

describe('YAML case files', () => {
  it('load into the scenario model', () => {
    const {
      scenarios: [s],
      broken,
    } = loadCaseFile(write(GOOD), 'case.yaml', origin);
    expect(broken).to.deep.equal([]);
    expect(s.id).to.equal('sequences/from-a-bug-report');
    expect(s.steps[1].expect?.rows).to.deep.equal([['$v']]);
    expect(s.source).to.equal('case.yaml:1');
    expect(s.origin).to.deep.equal(origin);
  });

  it('report malformed YAML as file:line:col, as one broken scenario', () => {
    const { scenarios, broken } = loadCaseFile(write('id: x\nsteps: [\n  - { a: 1\n'), 'bad.yaml', origin);
    expect(scenarios).to.deep.equal([]);
    expect(broken).to.have.length(1);
    expect(broken[0]).to.include({ id: 'bad.yaml', anonymous: true });
    expect(broken[0].problems[0]).to.match(/^bad\.yaml:\d+:\d+: /);
  });

  it('point every mistake at its own line and column, with the key that was meant', () => {
    const text = `id: sequences/broken
category: sequences
why: w
pool: single
setpu: ["CREATE SEQUENCE {{seq}}"]
sessions: { a: {} }
steps:
  - { session: a, sql: "SELECT 1", expct: { rows: [["1"]] } }
  - { session: b, sql: "SELECT 2" }
  - { session: a, messages: [{ type: Prase, sql: "SELECT 1" }, { type: Sync }] }
  - { session: a, sql: "SELECT 1", expect: { rows: [1] } }
  - { session: a, sql: "SELECT 1", expect: { rows: [[1.50]] } }
  - { session: a, sql: "SELECT 1", timeoutMs: soon }
`;
    const {
      broken: [b],
    } = loadCaseFile(write(text), 'broken.yaml', origin);
    expect(b.id).to.equal('sequences/broken');
    expect(b.problems).to.have.length(7);
    const p = b.problems.join('\n');
    expect(p).to.match(/^broken\.yaml:5:1: unknown key "setpu"; did you mean "setup"\?/m);
    expect(p).to.match(/^broken\.yaml:8:36: unknown key "expct"; did you mean "expect"\?/m);
    expect(p).to.match(/^broken\.yaml:9:16: unknown session "b"; declared: a/m);
    expect(p).to.match(/^broken\.yaml:10:38: unknown message type "Prase"; did you mean "Parse"\?/m);
    expect(p).to.match(/^broken\.yaml:11:53: expected a row: a list of values/m);
    expect(p).to.match(/^broken\.yaml:12:54: 1\.5 is a number YAML does not keep as written: quote it as PostgreSQL prints it/m);
    expect(p).to.match(/^broken\.yaml:13:47: expected a whole number, got string "soon"/m);
  });

  it('load the wire-level messages, startup options and byte values, and point at each malformed one', () => {
    const good = `id: protocol-framing/wire-level
category: protocol-framing
why: w
pool: single
sessions:
  a: { protocol: "3.2", startupParams: { _pq_.test: "on" } }
  b: { protocol: 196610 }
steps:
  - { session: a, connect: true, expect: { messages: ["NegotiateProtocolVersion:3.0:_pq_.x", AuthenticationOk, BackendKeyData:4, ReadyForQuery:I] } }
  - session: a
    messages:
      - { type: Parse, name: s1, sql: "SELECT $1::int8" }
      - { type: Bind, statement: s1, params: [{ hex: "00 00 00 00 00 00 00 05" }, null], paramFormats: [binary], resultFormats: [binary] }
      - { type: Execute }
      - { type: FunctionCall, function: "lo_creat(integer)", args: ["-1"], resultFormat: text }
      - { type: CopyData, data: { hex: "0a" } }
      - { type: RawMessage, code: y, payload: { hex: "00" }, length: 3 }
      - { type: RawBytes, hex: "5300000004" }
      - { type: Sync }
    expect: { rows: [[{ hex: "0000000000000005" }]] }
`;
    const {
      scenarios: [s],
      broken,
    } = loadCaseFile(write(good), 'wire.yaml', origin);
    expect(broken).to.deep.equal([]);
    expect(s.sessions.a.protocol).to.equal('3.2');
    expect(s.steps[1].kind === 'messages' && s.steps[1].messages[1]).to.deep.include({ paramFormats: ['binary'], resultFormats: ['binary'] });
    const bad = good
      .replace('protocol: "3.2"', 'protocol: 3.2')
      .replace('BackendKeyData:4', 'BackendKeyData:2')
      .replace('3.0:_pq_.x', '3.0:x')
      .replace('{ hex: "00 00 00 00 00 00 00 05" }', '{ hex: "0x05" }')
      .replace('paramFormats: [binary]', 'paramFormats: [bin]')
      .replace('function: "lo_creat(integer)"', 'fuction: "lo_creat(integer)"')
      .replace('code: y', 'code: yy')
      .replace('hex: "5300000004"', 'hex: "530"');
    const {
      broken: [b],
    } = loadCaseFile(write(bad), 'bad-wire.yaml', origin);
    const p = b.problems.join('\n');
    expect(p).to.match(
      /^bad-wire\.yaml:6:18: expected a protocol version: "3\.2" \(quoted: YAML reads 3\.2 as a number\), or 196610, got number 3\.2/m,
    );
    expect(p).to.match(
      /^bad-wire\.yaml:9:\d+: NegotiateProtocolVersion's detail is the version the server offers, e\.g\. 3\.0, then maybe the options it did not recognise \(3\.2:_pq_\.a,_pq_\.b; 3\.2: for none\), not "3\.0:x"/m,
    );
    expect(p).to.match(/^bad-wire\.yaml:9:\d+: BackendKeyData's detail is its key's length in bytes, 4 to 256, not "2"/m);
    expect(p).to.match(/^bad-wire\.yaml:13:\d+: "0x05" is not hex/m);
    expect(p).to.match(/^bad-wire\.yaml:13:\d+: "bin" is not one of "text", "binary"/m);
    expect(p).to.match(/^bad-wire\.yaml:15:\d+: unknown key "fuction"; did you mean "function"\?/m);
    expect(p).to.match(/^bad-wire\.yaml:17:\d+: a message's type is one byte, one character \(e\.g\. Q\), not "yy"/m);
    expect(p).to.match(/^bad-wire\.yaml:18:\d+: "530" has an odd number of hex digits/m);
  });

  it('take whole numbers, booleans and null in expected rows as the text PostgreSQL sends', () => {
    const text = GOOD.replace('expect: { rows: [[$v]] }', 'expect: { rows: [[1, true, false, null]] }');
    const {
      scenarios: [s],
    } = loadCaseFile(write(text), 'case.yaml', origin);
    expect(s.steps[1].expect?.rows).to.deep.equal([['1', 't', 'f', null]]);
  });

  it('load the good documents of a file beside its broken ones', () => {
    const text = `${GOOD}---\n${GOOD.replace('from-a-bug-report', 'second').replace('pool: single', 'pool: singel')}`;
    const { scenarios, broken } = loadCaseFile(write(text), 'two.yaml', origin);
    expect(scenarios.map((s) => s.id)).to.deep.equal(['sequences/from-a-bug-report']);
    expect(broken.map((b) => b.id)).to.deep.equal(['sequences/second']);
    expect(broken[0].problems[0]).to.match(/^two\.yaml:14:7: "singel" is not one of "single", "wide"; did you mean "single"\?/);
  });
});

describe('case folders (--cases)', () => {
  const folder = () => {
    const dir = tempDir('pc-cases-');
    write(GOOD.replace('from-a-bug-report', 'mine-good'), 'good.yaml', dir);
    write(
      'id: sequences/mine-broken\ncategory: sequences\nwhy: w\npool: single\nsessions: { a: {} }\nsteps: [{ session: a, sqll: "SELECT 1" }]\n',
      'broken.yaml',
      dir,
    );
    write('{ not yaml', 'unreadable.yml', dir);
    mkdirSync(path.join(dir, 'nested'));
    write(
      `export default { id: 'sequences/mine-ts', category: 'sequences', why: 'a TypeScript case', pool: 'single', sessions: { a: {} }, steps: [{ session: 'a', sql: 'SELECT 1' }] };\n`,
      'case.ts',
      path.join(dir, 'nested'),
    );
    write('export const helper = 1;\n', '_helper.ts', dir);
    return dir;
  };

  it('load YAML and TypeScript cases from anywhere; a broken file breaks only its own scenarios', async () => {
    const dir = folder();
    const catalog = await loadCatalog(undefined, [dir]);
    const mine = catalog.scenarios.filter((s) => !s.origin.shipped);
    expect(mine.map((s) => s.id)).to.deep.equal(['sequences/mine-good', 'sequences/mine-ts']);
    expect(catalog.scenarios.filter((s) => s.origin.shipped).length).to.be.at.least(40);
    expect(catalog.broken.map((b) => b.id).sort()).to.deep.equal(
      ['sequences/mine-broken', path.relative(process.cwd(), path.join(dir, 'unreadable.yml'))].sort(),
    );
    expect(catalog.broken.find((b) => b.id === 'sequences/mine-broken')?.problems.join('\n')).to.match(
      /broken\.yaml:6:23: unknown key "sqll"; did you mean "sql"\?/,
    );
  });

  it('select a whole case folder with cases:DIR or cases:NAME, and always select a file whose ids could not be read', async () => {
    const dir = folder();
    const catalog = await loadCatalog(undefined, [dir]);
    const ids = (sel: string) => [...selectScenarios(catalog.scenarios, sel), ...selectScenarios(catalog.broken, sel)].map((s) => s.id);
    const unreadable = path.relative(process.cwd(), path.join(dir, 'unreadable.yml'));
    expect(ids(`cases:${dir}`).sort()).to.deep.equal(['sequences/mine-broken', 'sequences/mine-good', 'sequences/mine-ts', unreadable].sort());
    expect(ids(`cases:${path.basename(dir)}`)).to.have.length(4);
    expect(ids('cases:cases')).to.include('sequences/case-currval-after-other-clients-commit').and.include(unreadable);
    expect(ids('cancel')).to.not.include('sequences/mine-good');
    expect(caseSelectorProblem(catalog, `cases:${dir}`)).to.equal(undefined);
    expect(caseSelectorProblem(catalog, 'cases:nowhere')).to.match(
      /^--scenarios cases:nowhere: no scenario was loaded from a folder "nowhere"; case folders: .*cases/,
    );
  });

  it('refuse a case that takes the id of a shipped scenario: one error naming both, and neither runs', async () => {
    const dir = tempDir('pc-cases-');
    write(GOOD.replace('sequences/from-a-bug-report', 'sequences/case-currval-after-other-clients-commit'), 'dup.yaml', dir);
    const catalog = await loadCatalog(undefined, [dir]);
    expect(catalog.scenarios.find((s) => s.id === 'sequences/case-currval-after-other-clients-commit')).to.equal(undefined);
    const dup = catalog.broken.filter((b) => b.id === 'sequences/case-currval-after-other-clients-commit');
    expect(dup).to.have.length(1);
    expect(dup[0].problems).to.have.length(1);
    expect(dup[0].problems[0]).to.match(
      /dup\.yaml:1: scenario id sequences\/case-currval-after-other-clients-commit is already defined in suites\/cases\/.*\.yaml:\d+: ids must be unique/,
    );
  });
});

describe('the package API for TypeScript cases', () => {
  /**
   * A repository of its own with `poolcheck` in node_modules. The package runs compiled
   * JavaScript (npm pack); here a stand-in package re-exports the checkout's API sources, so
   * the test needs no build. `type` is the repository's package.json "type", if any.
   */
  function repository(type: 'module' | undefined): string {
    const repo = tempDir('pc-repo-');
    writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'my-pooler', private: true, ...(type ? { type } : {}) }));
    const pkg = path.join(repo, 'node_modules', 'poolcheck');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'poolcheck', type: 'module', exports: './index.ts' }));
    writeFileSync(path.join(pkg, 'index.ts'), `export * from ${JSON.stringify(path.resolve(import.meta.dirname, '../../harness/api.ts'))};\n`);
    mkdirSync(path.join(repo, 'cases'));
    write(
      `import { defineScenario, msg, step } from 'poolcheck';
export default defineScenario({
  id: 'session-state/from-the-package', category: 'session-state', pool: 'single', why: 'written against the package API',
  sessions: { a: {} },
  steps: [step('a', "SET TimeZone = 'UTC'"), { session: 'a', messages: [msg.query('SHOW TimeZone')], expect: { messages: ['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery:I'] } }],
});
`,
      'case.ts',
      path.join(repo, 'cases'),
    );
    return repo;
  }

  for (const type of ['module', undefined] as const) {
    it(`loads a case that imports defineScenario, step and msg from 'poolcheck', in a ${type === 'module' ? 'ES module' : 'CommonJS (npm init -y)'} repository of its own`, async () => {
      const repo = repository(type);
      const catalog = await loadCatalog(undefined, [path.join(repo, 'cases')]);
      expect(catalog.broken).to.deep.equal([]);
      expect(catalog.scenarios.find((s) => s.id === 'session-state/from-the-package')?.steps.map((s) => s.kind)).to.deep.equal(['sql', 'messages']);
    });
  }
});
