// The stress family at 1,000 clients at once: PostgreSQL and pgbouncer's session mode keep every
// client's session state its own; transaction and statement modes hand it around, which their
// profile documents. The leak counts, the rate and the round trips are in each result's rows.
import { expect } from 'chai';
import { startCli } from './helpers.ts';
import { readResults, type ResultsDoc } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const STATES = ['setting', 'application_name', 'prepared statement', 'temporary table', 'advisory lock', 'currval'];

describe('the stress family (1,000 clients at once, raw driver)', function () {
  this.timeout(900_000);
  let doc: ResultsDoc;
  let code: number | null;
  const on = (target: string) => doc.results.find((r) => r.target === target && r.scenario === 'stress/session-state-under-load')!;

  // One pooling mode per run (each beside direct's baseline): four targets of 1,000 clients at
  // once on a 2-core machine starve each other's logins, which says nothing about the pooler.
  before(async () => {
    const docs: ResultsDoc[] = [];
    for (const target of ['pgbouncer:session', 'pgbouncer:transaction', 'pgbouncer:statement']) {
      const out = tempDir('pc-stress-');
      const run = startCli([
        'run',
        '--targets',
        target,
        '--drivers',
        'raw',
        '--scenarios',
        'stress/session-state-*',
        '--stress-clients',
        '1000',
        '--out',
        out,
      ]);
      const exited = await run.exited;
      code = Math.max(code ?? 0, exited ?? 2);
      docs.push(readResults(out));
    }
    doc = {
      ...docs[0],
      results: [docs[0].results.filter((r) => r.target === 'direct'), ...docs.map((d) => d.results.filter((r) => r.target !== 'direct'))].flat(),
    };
    process.stdout.write(`      (${doc.results.map((r) => `${r.target} ${(r as { durationMs?: number }).durationMs ?? '?'} ms`).join(', ')})\n`);
  });

  it('runs only when asked for, and only with the raw driver', () => {
    expect(doc.results.map((r) => r.scenario)).to.satisfy((ids: string[]) => ids.every((id) => id.startsWith('stress/')));
    expect(code).to.equal(0);
  });

  it('sees no leak and no loss on direct and in session mode, every client finishing', () => {
    for (const target of ['direct', 'pgbouncer:session']) {
      const r = on(target);
      expect([r.outcome, r.verdict], `${target}: ${r.message}`).to.deep.equal(['pass', 'ok']);
    }
  });

  it('reports the leaks of transaction and statement modes as documented, with counts for each kind of state', () => {
    for (const target of ['pgbouncer:transaction', 'pgbouncer:statement']) {
      const r = on(target);
      expect([r.outcome, r.verdict], `${target}: ${r.message}`).to.deep.equal(['diverge', 'documented']);
      const got = (r.message ?? '').split('got rows ')[1]?.split('; PostgreSQL')[0] ?? '';
      const counts = STATES.map((s) => new RegExp(`\\["${s}","(\\d+)","(\\d+)"\\]`).exec(got));
      expect(counts.every(Boolean), r.message ?? '').to.equal(true);
      const leaked = counts.reduce((n, m) => n + Number(m![1]), 0);
      expect(leaked, `${target} leaks`).to.be.above(0);
      expect(got)
        .to.match(/\["clients unfinished","0","of 1000"\]/)
        .and.to.match(/\["checks, leak rate","30000","[\d.]+%"\]/);
    }
  });
});
