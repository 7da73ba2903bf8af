// asyncpg (Debian's python3-asyncpg): https://magicstack.github.io/asyncpg/current/
// asyncpg prepares every query it runs through fetch() as a named statement and keeps it in a
// per-connection cache (statement_cache_size, default 100); statement_cache_size=0 uses the
// unnamed statement, the setting asyncpg documents for pgbouncer in transaction mode:
// https://magicstack.github.io/asyncpg/current/faq.html#why-am-i-getting-prepared-statement-errors
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import path from 'node:path';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import { DEBIAN_PYTHON, requireFile, SHIMS_DIR } from './shim-path.ts';
import type { Capability } from './session.ts';

const helper = new SharedHelper(
  () => ({
    name: 'asyncpg helper (Debian python3 with python3-asyncpg)',
    command: requireFile(DEBIAN_PYTHON, 'apt-get install python3 python3-asyncpg'),
    args: ['-I', path.join(SHIMS_DIR, 'python', 'asyncpg_helper.py')],
  }),
  TIMEOUT_MS.pythonHelperStart,
);

// No cancel and no notifications: see the helper's docstring for why.
const common: Capability[] = [
  'backendPid',
  'parameterStatus',
  'notices',
  'tls',
  'startupParams',
  'startupApplicationName',
  'anyClientEncoding',
  'loginErrorCode',
];
const notes =
  'Connection.fetch (extended protocol, every statement); several statements through execute() (simple protocol, no rows); built-in types in text format';

export const asyncpgDriver = helperDriver({
  id: 'asyncpg',
  loginMs: 170,
  helper,
  library: 'asyncpg',
  debianPackage: 'python3-asyncpg',
  placeholders: 'native',
  settings: {},
  capabilities: [...common, 'driverPrepares'],
  notes: `${notes}; statement_cache_size 100 (default): every query is a named statement __asyncpg_stmt_N__`,
});

export const asyncpgPoolerSafeDriver = helperDriver({
  id: 'asyncpg:pooler-safe',
  loginMs: 140,
  helper,
  library: 'asyncpg',
  debianPackage: 'python3-asyncpg',
  placeholders: 'native',
  settings: { statement_cache_size: 0 },
  capabilities: common,
  notes: `${notes}; statement_cache_size=0: the unnamed statement`,
  poolerSafe: {
    setting: 'statement_cache_size=0',
    docs: 'https://magicstack.github.io/asyncpg/current/faq.html#why-am-i-getting-prepared-statement-errors',
  },
});
