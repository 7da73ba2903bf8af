// poolcheck's own folder: the checkout, or node_modules/poolcheck where it is installed. The
// harness runs from harness/ in a checkout and from dist/harness/ in the package (npm pack
// builds it), so files beside package.json (docker/, the version) are found by walking up, not
// by a fixed number of '..'.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'poolcheck') return dir;
    if (path.dirname(dir) === dir) throw new Error(`poolcheck's package.json not found above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
