// psycopg 3 (Debian's python3-psycopg): https://www.psycopg.org/psycopg3/docs/
// psycopg prepares a query server-side once it ran prepare_threshold times (default 5) on a
// connection, naming it _pg3_N; prepare_threshold=None never prepares, which is what
// pgbouncer's documentation asks of transaction pooling:
// https://www.psycopg.org/psycopg3/docs/advanced/prepare.html#using-prepared-statements-with-pgbouncer
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import path from 'node:path';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import { DEBIAN_PYTHON, requireFile, SHIMS_DIR } from './shim-path.ts';
import type { Capability } from './session.ts';

const helper = new SharedHelper(
  () => ({
    name: 'psycopg helper (Debian python3 with python3-psycopg)',
    command: requireFile(DEBIAN_PYTHON, 'apt-get install python3 python3-psycopg'),
    args: ['-I', path.join(SHIMS_DIR, 'python', 'psycopg_helper.py')],
  }),
  TIMEOUT_MS.pythonHelperStart,
);

/** psycopg's default prepare_threshold. */
const PREPARE_THRESHOLD = 5;

const common: Capability[] = [
  'cancel',
  'backendPid',
  'parameterStatus',
  'notifications',
  'notificationPid',
  'notices',
  'tls',
  'startupApplicationName',
  'anyClientEncoding',
];
const notes =
  "AsyncConnection(autocommit=True), cursor.execute: simple protocol without params, extended with them; values through psycopg's text loader";

export const psycopgDriver = helperDriver({
  id: 'psycopg',
  loginMs: 60,
  helper,
  library: 'psycopg 3',
  debianPackage: 'python3-psycopg',
  placeholders: 'pyformat',
  settings: {},
  capabilities: [...common, 'driverPrepares'],
  notes: `${notes}; prepare_threshold 5 (default): the 6th execution of a query on a connection uses a named statement`,
});

export const psycopgPoolerSafeDriver = helperDriver({
  id: 'psycopg:pooler-safe',
  loginMs: 60,
  helper,
  library: 'psycopg 3',
  debianPackage: 'python3-psycopg',
  placeholders: 'pyformat',
  settings: { prepare_threshold: null },
  capabilities: common,
  notes: `${notes}; prepare_threshold=None: never prepares`,
  sameWireAs: { base: 'psycopg', executions: PREPARE_THRESHOLD },
  poolerSafe: {
    setting: 'prepare_threshold=None',
    docs: 'https://www.psycopg.org/psycopg3/docs/advanced/prepare.html#using-prepared-statements-with-pgbouncer',
  },
});
