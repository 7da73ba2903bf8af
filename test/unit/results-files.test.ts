import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Options } from '../../harness/cli/args.ts';
import { UsageError } from '../../harness/kernel/errors.ts';
import { diffCommand } from '../../harness/cli/diff-command.ts';
import { mergeCommand } from '../../harness/cli/merge-command.ts';
import { readResultsFile } from '../../harness/report/results-file.ts';
import type { RunReport } from '../../harness/report/run-report.ts';
import { readShardManifest, shardManifestJson } from '../../harness/report/shard-manifest.ts';
import { tempDir } from '../temp-dir.ts';

const results = (rows: unknown[]) => ({
  schemaVersion: 3,
  run: { id: 'r', poolcheckVersion: '0.1.0' },
  targets: [{ id: 'direct', pooler: null, poolerVersion: null, postgresVersion: '15' }],
  results: rows,
});
const ok = { scenario: 's/x', target: 'direct', driver: 'raw', outcome: 'pass', verdict: 'ok', message: null, divergence: null };

function file(doc: unknown): string {
  const f = path.join(tempDir('pc-results-'), 'results.json');
  writeFileSync(f, JSON.stringify(doc));
  return f;
}

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

const report: RunReport = {
  run: {
    id: 's1',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    poolcheckVersion: '0.1.0',
    shard: { index: 1, count: 1 },
  },
  targets: [
    {
      id: 'direct',
      pooler: null,
      mode: null,
      provider: 'local',
      poolerVersion: null,
      postgresVersion: '15',
      startMs: 1,
      settings: {},
      effectiveSettings: {},
    },
  ],
  warnings: [],
  drivers: [{ id: 'raw', version: '1', library: 'pg-protocol' }],
  results: [
    {
      scenario: 's/x',
      category: 's',
      target: 'direct',
      driver: 'raw',
      outcome: 'pass',
      verdict: 'ok',
      expected: 'pass',
      durationMs: 1,
      steps: [],
      transcriptPath: 'transcripts/direct/raw/s--x.txt',
    },
  ],
};

function shard(change: (r: RunReport) => unknown = (r) => r): string {
  const dir = tempDir('pc-shard-');
  writeFileSync(
    path.join(dir, 'shard.json'),
    shardManifestJson({
      shard: { index: 1, count: 1 },
      plan: 'p',
      scenarios: ['s/x'],
      report: change(report) as RunReport,
      features: [],
      published: {},
    }),
  );
  return dir;
}

describe('merge and diff read what other runs wrote', () => {
  it("refuse a results.json that does not have the results' shape, in one line naming where", () => {
    expect(readResultsFile(file(results([ok]))).results).to.have.length(1);
    const nullRow = refusal(() => readResultsFile(file(results([ok, null]))));
    expect(nullRow).to.match(/results\.json is not a poolcheck results\.json: results\[1\]: expected a mapping, got null$/);
    for (const [doc, why] of [
      [results([{}]), /results\[0\]: "scenario" is required \(and \d+ more problem\(s\)\)/],
      [{ schemaVersion: 3, run: {}, targets: [], results: [] }, /run: "id" is required/],
      [results([{ ...ok, outcome: 'maybe' }]), /results\[0\]\.outcome: "maybe" is not one of "pass", "diverge", "crash", "skip", "error"/],
      [results([{ ...ok, divergence: { step: 'two' } }]), /results\[0\]\.divergence\.step: expected a whole number/],
      [results([{ ...ok, target: 'pgbouncer:session' }]), /results\[0\]\.target "pgbouncer:session" is none of its targets \(direct\)/],
    ] as const) {
      const message = refusal(() => readResultsFile(file(doc)));
      expect(message, JSON.stringify(doc)).to.match(why);
      expect(message).not.to.contain('\n');
    }
  });

  it('make poolcheck diff refuse garbage (exit 2) instead of saying "No change"', async () => {
    const good = file(results([ok]));
    let err: unknown;
    try {
      await diffCommand([good, file({ schemaVersion: 3, run: { id: 1 }, targets: [{}], results: [{}] })]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(UsageError);
    expect((err as Error).message).to.match(/is not a poolcheck results\.json: run\.id: expected a string/);
  });

  it("refuse a shard.json that does not have a report's shape", () => {
    expect(readShardManifest(shard()).report.results).to.have.length(1);
    expect(refusal(() => readShardManifest(shard((r) => ({ ...r, results: [null] }))))).to.match(
      /shard\.json is not a poolcheck shard\.json: report\.results\[0\]: expected a mapping, got null$/,
    );
    expect(refusal(() => readShardManifest(shard((r) => ({ ...r, results: [{ ...r.results[0], transcriptPath: '../../etc/passwd' }] }))))).to.match(
      /report\.results\[0\]\.transcriptPath: .*is not a path under transcripts\//,
    );
    expect(refusal(() => readShardManifest(shard((r) => ({ ...r, targets: 'direct' }))))).to.match(/report\.targets: expected a list/);
  });

  it('make merge copy only the regular files inside a shard, never what a link in it points at', async () => {
    const dir = shard();
    const secret = path.join(tempDir('pc-outside-'), 'secret.txt');
    writeFileSync(secret, 'not for the report');
    mkdirSync(path.join(dir, 'transcripts', 'direct', 'raw'), { recursive: true });
    writeFileSync(path.join(dir, 'transcripts', 'direct', 'raw', 's--x.txt'), 'a transcript');
    symlinkSync(secret, path.join(dir, 'transcripts', 'direct', 'raw', 'stolen.txt'));
    symlinkSync(path.dirname(secret), path.join(dir, 'transcripts', 'outside'));
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'logs', 'direct.postgres.log'), 'a log');
    symlinkSync(secret, path.join(dir, 'logs', 'stolen.log'));
    const out = path.join(tempDir('pc-merged-'), 'out');
    expect(await mergeCommand([out, dir], new Options(new Map(), new Set()))).to.equal(0);
    expect(readFileSync(path.join(out, 'transcripts', 'direct', 'raw', 's--x.txt'), 'utf8')).to.equal('a transcript');
    expect(readFileSync(path.join(out, 'logs', 'shard-1-of-1', 'direct.postgres.log'), 'utf8')).to.equal('a log');
    for (const rel of ['transcripts/direct/raw/stolen.txt', 'transcripts/outside', 'logs/shard-1-of-1/stolen.log'])
      expect(existsSync(path.join(out, rel)), rel).to.equal(false);
  });
});
