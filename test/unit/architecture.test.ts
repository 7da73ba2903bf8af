// Dependencies point one way (README "Layout"): each folder of harness/ imports only from
// folders below it in LAYERS, so no two folders import each other, and nothing in harness/
// imports from suites/ (the catalogue reads the suites as data).
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../root.ts';

/** Lowest first: a folder may import from itself and from those before it. api.ts, the package API, is an entry point on top, as cli is. */
const LAYERS = ['kernel', 'wire', 'drivers', 'poolers', 'targets', 'scenario', 'report', 'run', 'repro', 'fuzz', 'cli', 'api.ts'];

const HARNESS = path.join(ROOT, 'harness');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file (static `from '...'` and dynamic `import('...')`), resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => path.resolve(path.dirname(file), s));
}

const layerOf = (file: string) => path.relative(HARNESS, file).split(path.sep)[0];

describe('the architecture', () => {
  const files = tsFiles(HARNESS);

  it('has every harness folder in a layer', () => {
    expect([...new Set(files.map(layerOf))].filter((l) => !LAYERS.includes(l) && !l.endsWith('.ts'))).to.deep.equal([]);
  });

  it('imports only from the same folder or a lower layer, and never from suites/', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = LAYERS.indexOf(layerOf(file));
      for (const target of importsOf(file)) {
        const rel = path.relative(ROOT, target);
        if (!rel.startsWith(`harness${path.sep}`)) {
          wrong.push(`${path.relative(ROOT, file)} imports ${rel}`);
          continue;
        }
        const to = LAYERS.indexOf(layerOf(target));
        if (to > from) wrong.push(`${path.relative(ROOT, file)} (${layerOf(file)}) imports ${rel} (${layerOf(target)}, a higher layer)`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('keeps the runner free of concrete drivers', () => {
    const runnerImports = ['runner.ts', 'step-kinds.ts', 'matrix.ts'].flatMap((f) => importsOf(path.join(HARNESS, 'scenario', f)));
    // Relative to the checkout, whose own path may hold a folder named drivers.
    const concrete = runnerImports
      .map((i) => path.relative(ROOT, i))
      .filter((i) => i.startsWith(path.join('harness', 'drivers', '')) && !/(session|query-result)\.ts$/.test(i));
    expect(concrete).to.deep.equal([]);
  });
});
