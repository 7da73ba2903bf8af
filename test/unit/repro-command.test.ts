// `poolcheck repro` on an out folder made by hand: what it refuses (one line each, exit 2), where
// it finds a case of the user's (the --cases folder the run used), and that nothing it writes
// holds a password the run's words might have carried.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportRepro, type ReproRequest } from '../../harness/repro/export-repro.ts';
import { stepExcerpt } from '../../harness/repro/report-md.ts';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import { ROOT } from '../root.ts';
import { tempDir } from '../temp-dir.ts';

const CASE = `id: sequences/from-a-report
category: sequences
why: A client reads another client's sequence value.
pool: single
setup: ["CREATE SEQUENCE {{seq}}"]
sessions: { a: {}, b: {} }
steps:
  - { session: a, sql: "SELECT nextval('{{seq}}')", save: v }
  - { session: b, sql: "SELECT nextval('{{seq}}')" }
  - { session: a, sql: "SELECT currval('{{seq}}')", expect: { rows: [[$v]] } }
known:
  - { pooler: pgbouncer, reason: shared server connection, link: "https://example.org/1" }
`;

const SECRET = 'Zq8-not-a-real-password-81';

const TRANSCRIPT = (value: string) =>
  [
    "a -- step 1: SELECT nextval('{{seq}}')",
    'a FE=> Query("SELECT nextval(\'{{seq}}\')")',
    'a <= BE DataRow(["1"])',
    "b -- step 2: SELECT nextval('{{seq}}')",
    'b <= BE DataRow(["2"])',
    "a -- step 3: SELECT currval('{{seq}}')",
    'a <= BE ParameterStatus(application_name="")',
    `a <= BE DataRow(["${value}"])`,
    'a FE=> Terminate',
    'b FE=> Terminate',
    'a -- closed at the end of the scenario',
    '',
  ].join('\n');

function outFolder(): string {
  const out = tempDir('pc-repro-out-');
  const rel = (t: string) => `transcripts/${t}/raw/sequences--from-a-report.txt`;
  for (const [t, v] of [
    ['direct', '1'],
    ['pgbouncer-transaction', '2'],
  ]) {
    mkdirSync(path.join(out, path.dirname(rel(t))), { recursive: true });
    writeFileSync(path.join(out, rel(t)), TRANSCRIPT(v));
  }
  const result = (target: string, outcome: string, verdict: string, extra: object = {}) => ({
    scenario: 'sequences/from-a-report',
    category: 'sequences',
    target,
    driver: 'raw',
    outcome,
    expected: 'pass',
    verdict,
    durationMs: 1,
    message: null,
    reason: null,
    divergence: null,
    transcript: rel(target === 'direct' ? 'direct' : 'pgbouncer-transaction'),
    definedAt: 'cases/from-a-report.yaml:1',
    ...extra,
  });
  writeFileSync(
    path.join(out, 'results.json'),
    JSON.stringify({
      schemaVersion: 4,
      run: { id: 'abc123', startedAt: '2026-01-01T00:00:00.000Z', poolcheckVersion: '0.1.0' },
      targets: [
        {
          id: 'direct',
          pooler: null,
          mode: null,
          settings: {},
          effectiveSettings: {},
          provider: 'local',
          poolerVersion: null,
          postgresVersion: '15.20',
        },
        // A setting that holds a connection string: its password must not leave with the files.
        {
          id: 'pgbouncer:transaction',
          pooler: 'pgbouncer',
          mode: 'transaction',
          settings: {},
          effectiveSettings: { server_reset_query: `SELECT 'postgres://u:${SECRET}@h/db'` },
          provider: 'local',
          poolerVersion: '1.18.0',
          postgresVersion: '15.20',
        },
      ],
      drivers: [{ id: 'raw', version: '1.16.1', library: 'pg-protocol' }],
      results: [
        result('direct', 'pass', 'ok'),
        result('pgbouncer:transaction', 'diverge', 'regression', {
          message: `step 3 (a: SELECT currval('{{seq}}')): expected rows [["$v=1"]], got rows [["2"]] password=${SECRET}; PostgreSQL: rows [["1"]]`,
          divergence: { step: 3, session: 'a', kind: 'rows', expected: 'expected rows [["$v=1"]]', observed: 'rows [["2"]]' },
        }),
        { ...result('pgbouncer:transaction', 'skip', 'skip'), driver: 'pg' },
      ],
    }),
  );
  return out;
}

function casesFolder(): string {
  const dir = tempDir('pc-repro-cases-');
  writeFileSync(path.join(dir, 'from-a-report.yaml'), CASE);
  return dir;
}

async function request(over: Partial<ReproRequest> & { cases?: string[] } = {}): Promise<ReproRequest> {
  const to = path.join(tempDir('pc-repro-to-'), 'repro');
  const catalog = await loadCatalog(undefined, over.cases ?? [casesFolder()]);
  return {
    from: outFolder(),
    result: 'sequences/from-a-report@pgbouncer:transaction/raw',
    to,
    toShown: to,
    catalog: async () => catalog,
    poolcheckVersion: '0.1.0',
    ...over,
  };
}

async function refused(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('poolcheck repro', () => {
  it("writes the case file, a pgproto file per session and the observer's, repro.mjs and REPORT.md", async () => {
    const req = await request();
    const written = await exportRepro(req);
    expect(written.reproId).to.equal('sequences/repro-from-a-report');
    expect(written.files).to.deep.equal(['repro-from-a-report.yaml', 'a.pgproto', 'b.pgproto', 'observer.pgproto', 'repro.mjs', 'REPORT.md']);
    expect(readdirSync(req.to).sort()).to.deep.equal([...written.files].sort());
    const yaml = readFileSync(path.join(req.to, 'repro-from-a-report.yaml'), 'utf8');
    expect(yaml).to.contain(
      '# found by poolcheck 0.1.0, run abc123 of 2026-01-01T00:00:00.000Z, with driver raw (pg-protocol 1.16.1); the scenario as defined in',
    );
    expect(yaml).to.contain('# target pgbouncer:transaction: pgbouncer 1.18.0 in transaction mode, PostgreSQL 15.20, local provider');
    expect(yaml).to.contain(`#   poolcheck run --targets direct,pgbouncer:transaction --drivers raw --cases ${req.to} --scenarios cases:${req.to}`);
    expect(yaml).not.to.match(/^known:/m);
    const report = readFileSync(path.join(req.to, 'REPORT.md'), 'utf8');
    expect(report).to.contain('# pgbouncer 1.18.0 in transaction mode: sequences/from-a-report differs from PostgreSQL at step 3');
    expect(report).to.contain('- PostgreSQL: `rows [["1"]]`');
    expect(report).to.contain('- pgbouncer: `rows [["2"]]`');
    // The step's excerpt of each transcript, without the login's noise or the scenario's end.
    expect(stepExcerpt(TRANSCRIPT('2'), 3)).to.equal('a -- step 3: SELECT currval(\'{{seq}}\')\na <= BE DataRow(["2"])');
  });

  it("writes no password the run's words carried, in any file", async () => {
    const req = await request();
    await exportRepro(req);
    for (const file of readdirSync(req.to)) expect(readFileSync(path.join(req.to, file), 'utf8'), file).not.to.contain(SECRET);
  });

  it('refuses, in one line each: an unknown result (naming the close ones), a result that is no divergence, a folder that is no out folder', async () => {
    const req = await request();
    expect(await refused(() => exportRepro({ ...req, result: 'sequences/from-a-report@pgbouncer:transacton/raw' }))).to.equal(
      `--result sequences/from-a-report@pgbouncer:transacton/raw: no such result in ${path.join(req.from, 'results.json')}; its results there: sequences/from-a-report@pgbouncer:transaction/raw, sequences/from-a-report@pgbouncer:transaction/pg, sequences/from-a-report@direct/raw`,
    );
    expect(await refused(() => exportRepro({ ...req, result: 'sequences/from-a-reprot@direct/raw' }))).to.match(
      /; closest: sequences\/from-a-report@direct\/raw, /,
    );
    expect(await refused(() => exportRepro({ ...req, result: 'no-at-sign' }))).to.match(
      /^--result "no-at-sign" names no result: write SCENARIO@TARGET\/DRIVER/,
    );
    expect(await refused(() => exportRepro({ ...req, result: 'sequences/from-a-report@direct/raw' }))).to.equal(
      '--result sequences/from-a-report@direct/raw is pass (verdict ok), not a divergence: a reproducer is made from a result that differs from PostgreSQL; its divergences in this run: sequences/from-a-report@pgbouncer:transaction/raw',
    );
    const empty = tempDir('pc-repro-empty-');
    expect(await refused(() => exportRepro({ ...req, from: empty }))).to.match(
      /^--from .* is not a poolcheck out folder: .*results\.json does not exist/,
    );
    for (const message of [await refused(() => exportRepro({ ...req, result: 'x' }))]) expect(message).not.to.contain('\n');
  });

  it('refuses a scenario the catalogue does not have (the --cases folder left out), and a folder to write that is not empty', async () => {
    const req = await request({ cases: [] });
    expect(await refused(() => exportRepro(req))).to.equal(
      'scenario sequences/from-a-report (the run loaded it from cases/from-a-report.yaml:1) is in no folder poolcheck loaded: give the --cases folder(s) the run used',
    );
    const full = await request();
    mkdirSync(full.to, { recursive: true });
    writeFileSync(path.join(full.to, 'mine.txt'), 'x');
    expect(await refused(() => exportRepro(full))).to.match(/is not empty: name a new or empty folder/);
  });

  it('exits 2 with one line from the command line', function () {
    // Two starts of the CLI (tsx compiles it): seconds each on a shared 2-core machine.
    this.timeout(60_000);
    const run = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin/poolcheck.js'),
        'repro',
        '--from',
        tempDir('pc-repro-none-'),
        '--result',
        'a/b@direct/raw',
        '--to',
        path.join(tempDir('pc-repro-to-'), 'x'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    expect(run.stderr).to.match(/^poolcheck: --from .* is not a poolcheck out folder/);
    const missing = spawnSync(process.execPath, [path.join(ROOT, 'bin/poolcheck.js'), 'repro', '--from', 'x'], { encoding: 'utf8' });
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.contain('(missing: --result, --to)');
  });
});
