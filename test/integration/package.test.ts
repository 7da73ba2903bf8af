// The package as users get it: `npm pack` in the checkout, then `npm i ./poolcheck-*.tgz` in a
// fresh `npm init -y` folder (CommonJS). The tarball holds compiled JavaScript, the API's
// declarations, the catalogue, the images' sources, the docs, the schemas and the LICENSE, and
// no tests, sources or CI files; `npx poolcheck` runs from it; TypeScript cases (in the CommonJS
// folder and in an ES module one) run with --cases; annotations point at the user's own file.
// npm fetches poolcheck's dependencies from the registry (its cache first).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../root.ts';
import { tempDir } from '../temp-dir.ts';

const run = (cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};

const CASE = (id: string, imports: string) => `${imports}

export default defineScenario({
  id: '${id}',
  category: 'session-state',
  pool: 'single',
  why: 'A time zone set by one client must not reach the next one.',
  sessions: { a: {}, b: {} },
  steps: [
    step('a', "SET TimeZone = 'Asia/Tokyo'"),
    step('a', 'SHOW TimeZone', { expect: { rows: [['Asia/Tokyo']] } }),
    step('b', 'SHOW TimeZone', { expect: { notEquals: 'Asia/Tokyo' } }),
  ],
});
`;

describe('the package (npm pack, installed in a fresh npm init -y folder)', function () {
  this.timeout(20 * 60_000);
  const packed = tempDir('pc-pack-');
  const project = tempDir('pc-user-');
  let tarball = '';
  // npm pack builds dist/ in the repository (prepack): a dist/ that was not there before goes again.
  const hadDist = existsSync(path.join(ROOT, 'dist'));
  after(() => {
    if (!hadDist) rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  });

  before(() => {
    const pack = run('npm', ['pack', '--pack-destination', packed], ROOT);
    expect(pack.status, pack.out).to.equal(0);
    tarball = path.join(
      packed,
      readdirSync(packed).find((f) => f.endsWith('.tgz'))!,
    );
    expect(run('npm', ['init', '-y'], project).status).to.equal(0);
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    expect(install.status, install.out).to.equal(0);
  });

  it('holds compiled JavaScript, declarations, the catalogue, schemas, docs and LICENSE, and no tests, sources or CI files', () => {
    const files = run('tar', ['tzf', tarball], packed)
      .stdout.split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/poolcheck.js',
      'dist/harness/api.js',
      'dist/harness/api.d.ts',
      'dist/harness/cli/main.js',
      'dist/harness/report/html-page.js',
      'dist/suites/features.js',
      'schemas/case-file.schema.json',
      'schemas/results.schema.json',
      'docker/pgbouncer/Dockerfile',
      'docs/cases.md',
    ]) {
      expect(files, f).to.include(f);
    }
    expect(
      files.filter((f) => /^(test|scripts|\.ci|examples)\/|^(harness|suites)\/|^tsconfig|^eslint|^knip|\.test\.|ci-setup/.test(f)),
    ).to.deep.equal([]);
  });

  it('runs npx poolcheck from the installed package', () => {
    const list = run('npx', ['poolcheck', 'list', 'targets'], project);
    expect(list.status, list.out).to.equal(0);
    expect(list.stdout).to.match(/^pgbouncer:transaction\s+PgBouncer in transaction pooling mode/m);
  });

  it('runs TypeScript cases of a CommonJS and an ES module folder with --cases', () => {
    mkdirSync(path.join(project, 'cases'));
    writeFileSync(
      path.join(project, 'cases', 'timezone.ts'),
      CASE('session-state/user-timezone-cjs', "import { defineScenario, step } from 'poolcheck';"),
    );
    mkdirSync(path.join(project, 'esm-cases'));
    writeFileSync(path.join(project, 'esm-cases', 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      path.join(project, 'esm-cases', 'timezone.ts'),
      CASE('session-state/user-timezone-esm', "import { defineScenario, step } from 'poolcheck';"),
    );
    const r = run(
      'npx',
      [
        'poolcheck',
        'run',
        '--targets',
        'direct',
        '--drivers',
        'raw',
        '--cases',
        'cases',
        '--cases',
        'esm-cases',
        '--scenarios',
        'cases:cases,cases:esm-cases',
        '--lanes',
        '1',
        '--out',
        'out',
      ],
      project,
    );
    expect(r.status, r.out).to.equal(0);
    expect(r.stdout).to.match(/^2 results in [\d.]+ s: 2 ok, 0 skipped, 0 documented/m);
  });

  it("annotates a failing case at the user's file, not inside node_modules/poolcheck", () => {
    mkdirSync(path.join(project, 'broken'));
    writeFileSync(
      path.join(project, 'broken', 'wrong.ts'),
      CASE('session-state/user-wrong-expectation', "import { defineScenario, step } from 'poolcheck';").replace(
        "rows: [['Asia/Tokyo']]",
        "rows: [['Europe/Paris']]",
      ),
    );
    const summary = path.join(project, 'step-summary.md');
    writeFileSync(summary, '');
    const r = run(
      'npx',
      [
        'poolcheck',
        'run',
        '--targets',
        'direct',
        '--drivers',
        'raw',
        '--cases',
        'broken',
        '--scenarios',
        'cases:broken',
        '--lanes',
        '1',
        '--out',
        'out-broken',
      ],
      project,
      { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: project },
    );
    expect(r.status, r.out).to.equal(2);
    expect(r.stdout).to.match(/^::error file=broken\/wrong\.ts,line=\d+,title=poolcheck error%3A session-state\/user-wrong-expectation::/m);
  });
});
