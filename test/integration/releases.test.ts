// Certifying pooler releases other than bookworm's: settings as part of a target, checked
// against the release before anything starts, and the trixie and sid images certified with
// their own profile entries (docker; skipped, with the reason, unless POOLCHECK_DOCKER_TESTS=1).
import { expect } from 'chai';
import { dockerGate } from './docker-gate.ts';
import { startCli } from './helpers.ts';
import { readResults, type ResultsDoc } from './verdicts.ts';
import { tempDir } from '../temp-dir.ts';

const gate = await dockerGate();

describe('a target setting the release does not have', () => {
  it('is one line naming the release and the setting, exit 2, before anything starts', async () => {
    const out = tempDir('pc-setting-');
    const run = startCli(['run', '--targets', 'pgbouncer:transaction{max_prepared_statements=0}', '--drivers', 'raw', '--out', out]);
    expect(await run.exited).to.equal(2);
    expect(run.stderr.trim().split('\n')).to.deep.equal([
      'poolcheck: target pgbouncer:transaction{max_prepared_statements=0}: pgbouncer 1.18.0 has no max_prepared_statements (it exists in >=1.21)',
    ]);
  });

  it('or a setting the adapter does not know, with the ones it does', async () => {
    const run = startCli([
      'run',
      '--targets',
      'pgbouncer:transaction{max_prepared_statement=0}',
      '--drivers',
      'raw',
      '--out',
      tempDir('pc-setting-'),
    ]);
    expect(await run.exited).to.equal(2);
    expect(run.stderr).to.match(
      /^poolcheck: target pgbouncer:transaction\{max_prepared_statement=0\}: pgbouncer has no setting "max_prepared_statement" poolcheck can render; known: max_prepared_statements, /,
    );
  });
});

describe('newer releases in containers (trixie, sid)', function () {
  if (!gate.run) {
    it(`are skipped: ${gate.reason}`, function () {
      this.skip();
    });
    return;
  }

  const cases = [
    { suite: 'trixie', pgbouncer: '1.24.1', postgres: /^17\./ },
    { suite: 'sid', pgbouncer: '1.26.1', postgres: /^18\./ },
  ];
  for (const c of cases) {
    describe(`pgbouncer ${c.pgbouncer} (${c.suite}) in transaction mode, with prepared statements tracked and not`, () => {
      const out = tempDir(`pc-${c.suite}-`);
      let doc: ResultsDoc;
      let code: number | null;
      before(async function () {
        this.timeout(600_000);
        const run = startCli([
          'run',
          '--provider',
          'docker',
          '--suite',
          c.suite,
          '--drivers',
          'raw,pg',
          '--out',
          out,
          '--targets',
          'pgbouncer:transaction,pgbouncer:transaction{max_prepared_statements=0}',
        ]);
        code = await run.exited;
        if (code !== 0) process.stderr.write(`stdout:\n${run.stdout}\nstderr (tail):\n${run.stderr.slice(-3000)}\n`);
        doc = readResults(out);
      });

      it('certifies the release: exit 0, no regression, changed, improved or error, no stale-profile warning', () => {
        const c2 = doc.summary.byVerdict;
        expect([c2.regression, c2.changed, c2.improved, c2.error]).to.deep.equal([0, 0, 0, 0]);
        expect(doc.warnings).to.deep.equal([]);
        expect(code).to.equal(0);
      });

      it("records the versions and each target's settings as the release ran them", () => {
        expect(doc.targets.map((t) => t.id)).to.deep.equal(['direct', 'pgbouncer:transaction', 'pgbouncer:transaction{max_prepared_statements=0}']);
        expect(doc.targets[1].poolerVersion).to.equal(c.pgbouncer);
        expect(doc.targets[1].postgresVersion).to.match(c.postgres);
        expect(doc.targets[1].effectiveSettings.max_prepared_statements).to.equal('200');
        expect(doc.targets[2].settings).to.deep.equal({ max_prepared_statements: '0' });
      });

      it('tells the two apart: tracked statements survive a server change, untracked ones do not', () => {
        const verdict = (target: string) =>
          doc.results.find((r) => r.scenario === 'prepared-statements/named-reused-in-later-transaction' && r.target === target && r.driver === 'raw')
            ?.verdict;
        expect(verdict('pgbouncer:transaction')).to.equal('ok');
        expect(verdict('pgbouncer:transaction{max_prepared_statements=0}')).to.equal('documented');
      });
    });
  }
});
