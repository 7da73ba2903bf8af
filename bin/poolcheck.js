#!/usr/bin/env node
// Runs the TypeScript CLI in this process (tsx's loader), so signals reach poolcheck directly.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
