// tokio-postgres (Debian's librust-tokio-postgres-dev) in a Rust helper built once, offline,
// from Debian's crates (tokio-postgres-build.ts): https://docs.rs/tokio-postgres/0.7.7/tokio_postgres/
// Client::query prepares a statement named s<N> (a counter of the process); applications keep
// prepared statements for their queries (deadpool-postgres's prepare_cached), and so does the
// default variant: one Statement per query text and connection, executed by name from then on.
// tokio-postgres has no setting for poolers; its maintainers point PgBouncer users in
// transaction mode at simple_query / batch_execute, which take no parameters, so the
// pooler-safe variant runs everything through simple_query with the parameters written into
// the SQL as literals (sql-lexer.ts inlineParams).
// https://github.com/sfackler/rust-postgres/issues/959
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { compiledHelper } from './compiled-helper.ts';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import type { Capability } from './session.ts';
import { tokioPostgresBuild } from './tokio-postgres-build.ts';

const helper = new SharedHelper(
  async () => ({
    name: "tokio-postgres helper (Rust, built from Debian's librust-tokio-postgres-dev)",
    command: await compiledHelper(tokioPostgresBuild),
    args: [],
  }),
  TIMEOUT_MS.helperStart,
);

// Not backendPid: tokio-postgres keeps BackendKeyData to itself (only its cancel token uses
// it). Not tls: Debian packages no TLS connector for it (postgres-openssl, postgres-native-tls).
// Not startupParams: its Config sends only what it knows (options, application_name).
const common: Capability[] = [
  'cancel',
  'parameterStatus',
  'notifications',
  'notificationPid',
  'notices',
  'startupApplicationName',
  'anyClientEncoding',
  'loginErrorCode',
];
const notes =
  'the helper drives the Connection itself (AsyncMessage notices and notifications, ParameterStatus through Connection::parameter); several statements through simple_query';

export const tokioPostgresDriver = helperDriver({
  id: 'tokio-postgres',
  loginMs: 65,
  helper,
  library: 'tokio-postgres',
  debianPackage: 'librust-tokio-postgres-dev',
  placeholders: 'native',
  settings: {},
  capabilities: [...common, 'driverPrepares'],
  notes: `${notes}; Client::prepare once per query text and connection (named s<N>), then Client::query by statement, parameters as untyped text; results in binary, printed as PostgreSQL's text for the common built-in types (not date/time types)`,
});

export const tokioPostgresPoolerSafeDriver = helperDriver({
  id: 'tokio-postgres:pooler-safe',
  loginMs: 65,
  helper,
  library: 'tokio-postgres',
  debianPackage: 'librust-tokio-postgres-dev',
  placeholders: 'inline',
  settings: { simple_query: true },
  capabilities: common,
  notes: `${notes}; Client::simple_query always (simple protocol, text values), parameters written into the SQL as literals`,
  poolerSafe: {
    setting: 'Client::simple_query instead of prepared statements',
    docs: 'https://docs.rs/tokio-postgres/0.7.7/tokio_postgres/struct.Client.html#method.simple_query',
  },
});
