// A compiled helper is built once per hash of its sources and fingerprint, and the built
// binary is reused from the cache folder from then on; a failed build says which command
// failed and what it printed. The "compiler" here is sh, so the test builds nothing real.
import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildKey, compiledHelper, helperCacheDir, type HelperBuild } from '../../harness/drivers/compiled-helper.ts';
import { tempDir } from '../temp-dir.ts';

describe('compiled helpers', () => {
  let cache: string;
  let source: string;
  let saved: string | undefined;
  let builds: number;

  const fakeBuild = (fingerprint = 'toolchain 1', script = 'cp "$0" helper-bin'): HelperBuild => ({
    id: 'fake-helper',
    sources: [source],
    fingerprint: () => fingerprint,
    binary: 'helper-bin',
    steps: () => {
      builds++;
      return [{ command: 'sh', args: ['-c', script, source] }];
    },
  });

  beforeEach(() => {
    saved = process.env.XDG_CACHE_HOME;
    cache = tempDir('pc-helper-cache-');
    process.env.XDG_CACHE_HOME = cache;
    source = path.join(tempDir('pc-helper-src-'), 'main.src');
    writeFileSync(source, 'version one');
    builds = 0;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it('keeps helpers under the user cache folder, XDG_CACHE_HOME first', () => {
    expect(helperCacheDir()).to.equal(path.join(cache, 'poolcheck', 'helpers'));
  });

  it('builds once, then reuses the binary; concurrent callers share one build', async () => {
    const b = fakeBuild();
    const [first, second] = await Promise.all([compiledHelper(b), compiledHelper(b)]);
    expect(first).to.equal(second);
    expect(readFileSync(first, 'utf8')).to.equal('version one');
    expect(await compiledHelper(fakeBuild())).to.equal(first);
    expect(builds).to.equal(1);
    // Only the finished folder is left: the build folder was renamed into place.
    expect(readdirSync(helperCacheDir())).to.deep.equal([path.basename(path.dirname(first))]);
  });

  it('builds anew when a source or the fingerprint changes', async () => {
    const one = await compiledHelper(fakeBuild());
    const keyBefore = buildKey(fakeBuild());
    writeFileSync(source, 'version two');
    expect(buildKey(fakeBuild())).to.not.equal(keyBefore);
    const two = await compiledHelper(fakeBuild());
    expect(two).to.not.equal(one);
    expect(readFileSync(two, 'utf8')).to.equal('version two');
    expect(buildKey(fakeBuild('toolchain 2'))).to.not.equal(buildKey(fakeBuild('toolchain 1')));
  });

  it('reports the failing command with the end of its output, and keeps nothing', async () => {
    const err = await compiledHelper(fakeBuild('broken', 'echo "error[E0425]: cannot find value" >&2; exit 101')).then(
      () => new Error('it built'),
      (e: unknown) => e as Error,
    );
    expect(err.message).to.match(/building fake-helper: sh .* failed \(code 101\): error\[E0425\]: cannot find value/);
    expect(readdirSync(helperCacheDir())).to.deep.equal([]);
  });
});
