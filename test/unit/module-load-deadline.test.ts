import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { settlesWithin } from '../../harness/kernel/poll.ts';
import { loadCatalog, ModuleLoadTimeout } from '../../harness/scenario/catalog.ts';
import { tempDir } from '../temp-dir.ts';

describe('a case module that never finishes loading', () => {
  it('stops the catalogue at its deadline with one line naming the file, instead of hanging silently', async () => {
    const suites = tempDir('pc-suites-');
    const cases = tempDir('pc-cases-');
    mkdirSync(path.join(cases, 'nested'));
    // A top-level await that never settles (and holds no handle, so this test process can end).
    writeFileSync(path.join(cases, 'nested', 'hangs.mts'), 'await new Promise(() => {});\nexport default [];\n');
    const loading = loadCatalog(suites, [cases], { moduleLoadMs: 300 });
    let err: unknown;
    const settled = await settlesWithin(
      loading.catch((e: unknown) => {
        err = e;
      }),
      5000,
    );
    expect(settled, 'the catalogue hung on the module').to.equal(true);
    expect(err).to.be.instanceOf(ModuleLoadTimeout);
    const message = (err as Error).message;
    expect(message).to.match(/nested\/hangs\.mts: the module did not finish loading within 0\.3 s \(a top-level await that never settles\?\)/);
    expect(message).not.to.contain('\n');
  });
});
