// poolcheck fuzz on real servers: PostgreSQL against itself finds nothing (A/A), and a minute and
// a half on pgbouncer's transaction pooling with a fixed seed meets at least one documented
// class, whose minimal case loads with --cases and passes on PostgreSQL.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startCli } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

interface FuzzJson {
  programs: number;
  dropped: number;
  signatures: Array<{ signature: string; count: number; case?: string; steps?: number }>;
  documented: Array<{ reason: string; signature: string; count: number; case?: string; steps?: number }>;
}

const readFuzz = (out: string) => JSON.parse(readFileSync(path.join(out, 'fuzz.json'), 'utf8')) as FuzzJson;

describe('poolcheck fuzz (real servers)', function () {
  this.timeout(400_000);

  it('finds no divergence of PostgreSQL from itself in 60 s', async () => {
    const out = tempDir('pc-fuzz-aa-');
    const run = startCli(['fuzz', '--targets', 'direct', '--seconds', '60', '--seed', 'aa-1', '--out', out]);
    const code = await run.exited;
    expect(code, run.stderr.slice(-3000)).to.equal(0);
    const fuzz = readFuzz(out);
    expect(fuzz.programs).to.be.greaterThan(0);
    expect(fuzz.signatures, run.stdout).to.deep.equal([]);
    expect(fuzz.documented).to.deep.equal([]);
  });

  it('meets a documented class on pgbouncer in transaction mode, as a minimal case that passes on PostgreSQL', async () => {
    const out = tempDir('pc-fuzz-pgb-');
    const run = startCli(['fuzz', '--targets', 'pgbouncer:transaction', '--seconds', '90', '--seed', 's1', '--out', out]);
    const code = await run.exited;
    expect(code, run.stderr.slice(-3000)).to.be.oneOf([0, 1]);
    const fuzz = readFuzz(out);
    expect(fuzz.documented.length, run.stdout).to.be.greaterThan(0);
    const first = fuzz.documented[0];
    expect(first.steps).to.be.at.most(6);
    const cases = path.dirname(path.join(out, first.case!));
    const id = /^id: (\S+)$/m.exec(readFileSync(path.join(out, first.case!), 'utf8'))![1];
    const replay = tempDir('pc-fuzz-replay-');
    const again = startCli([
      'run',
      '--targets',
      'direct,pgbouncer:transaction',
      '--drivers',
      'raw',
      '--cases',
      cases,
      '--scenarios',
      id,
      '--lanes',
      '1',
      '--out',
      replay,
    ]);
    expect(await again.exited, again.stderr.slice(-3000)).to.equal(0);
    const results = (
      JSON.parse(readFileSync(path.join(replay, 'results.json'), 'utf8')) as { results: Array<{ target: string; outcome: string; verdict: string }> }
    ).results;
    expect(results.find((r) => r.target === 'direct')).to.include({ outcome: 'pass' });
    // The case carries its class as a known issue: documented there too.
    expect(results.find((r) => r.target === 'pgbouncer:transaction')).to.include({ outcome: 'diverge', verdict: 'documented' });
  });
});
