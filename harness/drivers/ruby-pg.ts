// ruby-pg (Debian's ruby-pg) on Debian's Ruby: https://deveiate.org/code/pg/PG/Connection.html
// ruby-pg names no statement by itself; applications do, and the most common one, Rails'
// PostgreSQL adapter, by default (prepared_statements: true) prepares each query with
// parameters once per connection as a1, a2, ... (a counter of the connection) and runs it with
// exec_prepared. Rails' guide gives prepared_statements: false for PgBouncer in transaction
// mode; then queries run with exec_params, the unnamed statement.
// https://guides.rubyonrails.org/configuring.html#configuring-a-postgresql-database
import path from 'node:path';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import type { Capability } from './session.ts';
import { DEBIAN_RUBY, requireFile, SHIMS_DIR } from './shim-path.ts';

const helper = new SharedHelper(
  () => ({
    name: 'ruby-pg helper (Debian ruby with ruby-pg)',
    // --disable-gems: Debian's ruby-pg is not a gem, and no gem of the user's gets loaded.
    command: requireFile(DEBIAN_RUBY, 'apt-get install ruby ruby-pg'),
    args: ['--disable-gems', path.join(SHIMS_DIR, 'ruby', 'ruby_pg_helper.rb')],
  }),
  TIMEOUT_MS.helperStart,
);

// libpq underneath: no SQLSTATE for a refused login, no arbitrary startup parameters.
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
  "PG::Connection: exec's simple protocol without params (several statements: every result read, the last with columns counts); values as the server's text";

export const rubyPgDriver = helperDriver({
  id: 'ruby-pg',
  loginMs: 70,
  helper,
  library: 'ruby-pg',
  debianPackage: 'ruby-pg',
  placeholders: 'native',
  settings: {},
  capabilities: [...common, 'driverPrepares'],
  notes: `${notes}; with params prepare('aN')/exec_prepared once per query text and connection, as Rails' adapter with prepared_statements: true (its default)`,
});

export const rubyPgPoolerSafeDriver = helperDriver({
  id: 'ruby-pg:pooler-safe',
  loginMs: 70,
  helper,
  library: 'ruby-pg',
  debianPackage: 'ruby-pg',
  placeholders: 'native',
  settings: { prepared_statements: false },
  capabilities: common,
  notes: `${notes}; with params exec_params (the unnamed statement), as Rails' adapter with prepared_statements: false`,
  poolerSafe: {
    setting: "prepared_statements: false (Rails' database.yml)",
    docs: 'https://guides.rubyonrails.org/configuring.html#configuring-a-postgresql-database',
  },
});
