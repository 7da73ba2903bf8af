import { expect } from 'chai';
import path from 'node:path';
import { ANCHORS_FOLDER, coverage, loadAnchors, unknownScenarios } from '../../harness/scenario/anchors.ts';
import { loadCatalog, SUITES_DIR } from '../../harness/scenario/catalog.ts';

describe('the anchor suites (suites/anchors)', () => {
  const { suites, problems } = loadAnchors(path.join(SUITES_DIR, ANCHORS_FOLDER));

  it('load without a problem, each test listed once, from the six suites the catalogue is measured against', () => {
    expect(problems).to.deep.equal([]);
    expect(suites.map((s) => s.project).sort()).to.deep.equal(['odyssey', 'pgbouncer', 'pgdog', 'pgpool2', 'spqr', 'yugabyte-db']);
  });

  it('name only scenarios the catalogue has, and are not loaded as scenarios themselves', async () => {
    const catalog = await loadCatalog();
    expect(unknownScenarios(suites, new Set(catalog.scenarios.map((s) => s.id)))).to.deep.equal([]);
    expect(catalog.broken.filter((b) => b.source.includes(`${ANCHORS_FOLDER}/`))).to.deep.equal([]);
  });

  it('count a test answered only when it is in scope and a scenario answers it', () => {
    const [c] = coverage([
      {
        project: 'p',
        repository: 'r',
        folder: 'f',
        commit: 'c',
        source: 's',
        tests: [
          { id: 'a', what: 'w', scope: 'in', answeredBy: ['x/y'] },
          { id: 'b', what: 'w', scope: 'in', partly: ['x/y'] },
          { id: 'c', what: 'w', scope: 'in' },
          { id: 'd', what: 'w', scope: 'out', why: 'admin console', answeredBy: ['x/y'] },
        ],
      },
    ]);
    expect(c).to.deep.equal({ project: 'p', tests: 4, inScope: 3, answered: 1, partly: 1 });
  });
});
