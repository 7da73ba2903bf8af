// PDO with the pgsql driver (Debian's php8.2-pgsql) on Debian's PHP CLI:
// https://www.php.net/manual/en/ref.pdo-pgsql.php
// PDO prepares server-side by default for pgsql: PDO::prepare names the statement
// pdo_stmt_%08x (a counter of the connection) and PREPAREs it with the protocol at its first
// execute. PDO::ATTR_EMULATE_PREPARES makes PDO put the parameters into the SQL itself and send
// a simple Query, what PHP applications set behind a transaction pooler (pgbouncer's tracker
// has the server-side names going wrong: https://github.com/pgbouncer/pgbouncer/issues/991).
// https://www.php.net/manual/en/pdo.setattribute.php
import path from 'node:path';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import type { Capability } from './session.ts';
import { DEBIAN_PHP, requireFile, SHIMS_DIR } from './shim-path.ts';

const helper = new SharedHelper(
  () => ({
    name: 'PDO helper (Debian php8.2-cli with php8.2-pgsql)',
    command: requireFile(DEBIAN_PHP, 'apt-get install php8.2-cli php8.2-pgsql'),
    // Warnings go to stderr, never into the replies on stdout; a 16 MB statement needs room.
    args: ['-d', 'display_errors=stderr', '-d', 'memory_limit=1G', path.join(SHIMS_DIR, 'php', 'pdo_pgsql_helper.php')],
  }),
  TIMEOUT_MS.helperStart,
);

// PDO 8.2 has no cancel, no ParameterStatus and no notice callback; libpq underneath keeps no
// SQLSTATE for a refused login and sends no arbitrary startup parameters.
const common: Capability[] = ['backendPid', 'notifications', 'notificationPid', 'tls', 'startupApplicationName', 'anyClientEncoding'];
const notes =
  "one PHP process per session (PDO blocks); PDO::prepare + execute with :pN parameters, fetchAll; booleans, integers and bytea turned back into the server's text; several statements through an emulated prepare (PQexec: the last result only)";

export const pdoPgsqlDriver = helperDriver({
  id: 'pdo-pgsql',
  loginMs: 150,
  helper,
  library: 'PDO pgsql',
  debianPackage: 'php8.2-pgsql',
  placeholders: 'pdo',
  settings: {},
  capabilities: [...common, 'driverPrepares'],
  notes: `${notes}; server-side prepares (PDO's default): a statement pdo_stmt_N per query text, prepared once per connection and executed by name`,
});

export const pdoPgsqlPoolerSafeDriver = helperDriver({
  id: 'pdo-pgsql:pooler-safe',
  loginMs: 150,
  helper,
  library: 'PDO pgsql',
  debianPackage: 'php8.2-pgsql',
  placeholders: 'pdo',
  settings: { emulate_prepares: true },
  capabilities: common,
  notes: `${notes}; PDO::ATTR_EMULATE_PREPARES: parameters put into the SQL by PDO, simple protocol`,
  poolerSafe: { setting: 'PDO::ATTR_EMULATE_PREPARES => true', docs: 'https://www.php.net/manual/en/pdo.setattribute.php' },
});
