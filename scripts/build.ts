// npm run build (and prepack): the package's JavaScript. tsc compiles harness/ and suites/ into
// dist/ with the same tree, so every path the harness finds relative to its own file (the
// catalogue, the helpers' sources, report.html's script) holds in dist/ as in the checkout;
// the files tsc does not compile are copied beside them. Declarations are kept for harness/
// only: the package's types are the API's (harness/api.ts), the catalogue is data.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
/** What a checkout may hold beside the sources that the package must not: build output, caches. */
const LEFT_OUT = new Set(['.gitignore', '__pycache__', 'target', 'Cargo.lock', 'node_modules']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (LEFT_OUT.has(d.name)) return [];
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p) : [p];
  });
}

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
for (const folder of ['harness', 'suites']) {
  for (const file of files(path.join(ROOT, folder))) {
    const rel = path.relative(ROOT, file);
    if (rel.endsWith('.ts')) continue;
    mkdirSync(path.dirname(path.join(DIST, rel)), { recursive: true });
    copyFileSync(file, path.join(DIST, rel));
  }
}
for (const file of files(path.join(DIST, 'suites')).filter((f) => f.endsWith('.d.ts'))) rmSync(file);
process.stdout.write(`built ${path.relative(process.cwd(), DIST) || DIST}\n`);
