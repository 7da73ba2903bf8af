#!/usr/bin/env node
// In a checkout the CLI runs from its TypeScript sources through tsx's loader; the package
// (npm pack) carries no sources and runs the JavaScript its prepack step compiled into dist/.
// Either way it runs in this process, so signals reach poolcheck directly.
import { existsSync } from 'node:fs';

const source = new URL('../harness/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/harness/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
