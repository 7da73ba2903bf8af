// schemas/*.json are generated from the schema tables poolcheck checks with (npm run schemas):
// they must be what the tables give today, and a standard JSON Schema validator must accept what
// poolcheck accepts (the shipped case files, a profile file, a results.json it writes) and refuse
// what it refuses.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { jsonSchemas } from '../../harness/report/json-schemas.ts';
import { resultsJson } from '../../harness/report/results-json.ts';
import type { ReportRow, RunReport } from '../../harness/report/run-report.ts';
import { ROOT } from '../root.ts';

const SCHEMAS = path.join(ROOT, 'schemas');
const validator = (file: string) =>
  new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as object);

describe('the JSON Schemas in schemas/', () => {
  it('are what the schema tables give (run `npm run schemas` after changing one)', () => {
    const generated = jsonSchemas();
    expect(readdirSync(SCHEMAS).sort()).to.deep.equal(Object.keys(generated).sort());
    for (const [file, schema] of Object.entries(generated))
      expect(readFileSync(path.join(SCHEMAS, file), 'utf8'), file).to.equal(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it('accept every shipped case file, and refuse a misspelt key', () => {
    const valid = validator('case-file.schema.json');
    const dir = path.join(ROOT, 'suites', 'cases');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')))
        expect(valid(doc.toJS()), `${f}: ${JSON.stringify(valid.errors)}`).to.equal(true);
    }
    expect(
      valid({ id: 'x/y', category: 'sequences', why: 'w', pool: 'single', sessions: { a: {} }, steps: [{ session: 'a', sqll: 'SELECT 1' }] }),
    ).to.equal(false);
  });

  it("accept the README's profile file", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /\n(\s*)```yaml\n(\s*pooler: my-pooler[\s\S]*?)\n\s*```/.exec(readme)!;
    const profile: unknown = parse(
      block[2]
        .split('\n')
        .map((l) => l.slice(block[1].length))
        .join('\n'),
    );
    const valid = validator('profile.schema.json');
    expect(valid(profile), JSON.stringify(valid.errors)).to.equal(true);
  });

  it('accept a results.json poolcheck writes', () => {
    const row: ReportRow = {
      scenario: 's/x',
      category: 's',
      target: 'pgbouncer:transaction',
      driver: 'raw',
      outcome: 'diverge',
      expected: 'diverge',
      verdict: 'flaky',
      durationMs: 3,
      steps: [],
      transcriptPath: 'transcripts/t/raw/s--x.txt',
      definedAt: 'suites/s/x.ts:3',
      message: 'm',
      reason: 'r',
      link: 'https://example.org',
      source: 'docs',
      premise: 'held',
      divergence: { step: 1, session: 'a', kind: 'rows', expected: 'e', observed: 'o' },
      attempts: [{ outcome: 'pass', durationMs: 1 }],
      timings: { quiesceMs: 1, connectMs: 1, checkMs: 1 },
    };
    const report: RunReport = {
      run: { id: 'r', startedAt: 'a', finishedAt: 'b', durationMs: 1, poolcheckVersion: '0.1.0', shard: { index: 1, count: 2 } },
      warnings: ['w'],
      targets: [
        {
          id: 'pgbouncer:transaction',
          pooler: 'pgbouncer',
          mode: 'transaction',
          provider: 'local',
          poolerVersion: '1.18.0',
          postgresVersion: '15',
          startMs: 1,
          settings: {},
          effectiveSettings: { a: 'b' },
        },
      ],
      drivers: [{ id: 'raw', version: '1', library: 'l' }],
      results: [row, { ...row, verdict: 'ok', outcome: 'pass', transcriptPath: null, definedAt: undefined, attempts: undefined }],
    };
    const valid = validator('results.schema.json');
    expect(valid(JSON.parse(resultsJson(report))), JSON.stringify(valid.errors)).to.equal(true);
  });
});
