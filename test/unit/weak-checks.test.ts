import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import { tempDir } from '../temp-dir.ts';

const HEAD = `category: session-state
why: a setting one client made shows up for the next client of the server
pool: single
sessions: { a: {}, b: {} }
`;

/** A case folder with these files; the shipped catalogue is left out (an empty suites folder). */
async function load(files: Record<string, string>, strict = false) {
  const dir = tempDir('pc-weak-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const catalog = await loadCatalog(tempDir('pc-nosuites-'), [dir], { strict });
  return { ...catalog, ids: catalog.scenarios.map((s) => s.id) };
}

describe('checks that cannot fail', () => {
  it('warn, file:line:col, about a SHOW or SELECT whose answer nothing checks, and rows of * only', async () => {
    const c = await load({
      'leak.yaml': `id: session-state/leak\n${HEAD}steps:
  - { session: a, sql: "SET statement_timeout = '4321s'" }
  - { session: b, sql: "SHOW statement_timeout" }
  - { session: b, sql: "SELECT current_setting('work_mem')", expect: { rows: [["*"]] } }
`,
    });
    expect(c.ids).to.deep.equal(['session-state/leak']);
    expect(c.warnings).to.have.length(2);
    expect(c.warnings[0]).to.match(
      /leak\.yaml:8:\d+: warning: the answer of this SHOW is checked by no expectation: a pooler that answers it wrongly passes; give it `expect` .* \(at steps\.1\.sql\)$/,
    );
    expect(c.warnings[1]).to.match(
      /leak\.yaml:9:\d+: warning: expect\.rows is made only of \* wildcards: .*rowCount.* \(at steps\.2\.expect\.rows\)$/,
    );
  });

  it('leave alone a query run for what it does, or whose answer a later step checks', async () => {
    const c = await load({
      'fine.yaml': `id: session-state/fine\n${HEAD}steps:
  - { session: a, sql: "SELECT 1" }
  - { session: a, sql: "SELECT pg_advisory_lock(42)" }
  - { session: a, sql: "SELECT pg_backend_pid()" }
  - { session: a, sql: "SELECT nextval('s')", save: v }
  - { session: b, sql: "SELECT pg_sleep(0.1), current_setting('x')", background: q }
  - { session: b, await: q }
  - { session: b, sql: "SHOW work_mem", background: r }
  - { session: b, await: r, expect: { rows: [["4MB"]] } }
  - { session: b, sql: "SHOW work_mem", expect: { error: "42704" } }
`,
    });
    expect(c.warnings).to.deep.equal([]);
  });

  it('are errors under --strict: the scenario does not run', async () => {
    const c = await load({ 'leak.yaml': `id: session-state/leak\n${HEAD}steps:\n  - { session: b, sql: "SHOW statement_timeout" }\n` }, true);
    expect(c.ids).to.deep.equal([]);
    expect(c.warnings).to.deep.equal([]);
    expect(c.broken.map((b) => b.problems)).to.deep.equal([
      [
        `${path.relative(process.cwd(), c.broken[0].origin.folder)}/leak.yaml:7:24: error (--strict): the answer of this SHOW is checked by no expectation: a pooler that answers it wrongly passes; give it \`expect\` (rows, equals...) or \`save\` the value for a later step (at steps.0.sql)`,
      ],
    ]);
  });

  it('warn in a TypeScript case module too, at the line of its id', async () => {
    const c = await load({
      'leak.mts': `export default {\n  id: 'session-state/leak-ts', category: 'session-state', why: 'a setting shows up for the next client', pool: 'single', sessions: { a: {} },\n  steps: [{ session: 'a', sql: 'SHOW work_mem' }],\n};\n`,
    });
    expect(c.warnings).to.have.length(1);
    expect(c.warnings[0]).to.match(/leak\.mts:2: warning: step 1 \(at sql\): the answer of this SHOW is checked by no expectation/);
  });
});

describe('a scenario id defined twice', () => {
  it('is one error naming both files, and neither definition runs', async () => {
    const text = `id: session-state/twice\n${HEAD}steps:\n  - { session: a, sql: "SHOW work_mem", expect: { rows: [["4MB"]] } }\n`;
    const c = await load({ 'a.yaml': text, 'b.yaml': text });
    expect(c.ids).to.deep.equal([]);
    expect(c.broken).to.have.length(1);
    expect(c.broken[0].id).to.equal('session-state/twice');
    expect(c.broken[0].problems).to.have.length(1);
    expect(c.broken[0].problems[0]).to.match(
      /b\.yaml:1: scenario id session-state\/twice is already defined in .*a\.yaml:1: ids must be unique, so none of them runs \(rename one\)$/,
    );
  });
});
