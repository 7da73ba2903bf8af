// pgx v4 (Debian's golang-github-jackc-pgx-v4-dev) in a Go helper built once from Debian's Go
// sources (compiled-helper.ts): https://pkg.go.dev/github.com/jackc/pgx/v4
// By default Conn.Query prepares every statement under a name of its LRU statement cache
// (statement_cache_mode "prepare", capacity 512: lrupsc_N_M, N counting the connections of the
// process) and executes it by name from then on. pgx's documentation names two ways to run
// behind PgBouncer: the cache in "describe" mode, or the simple protocol (PreferSimpleProtocol);
// the pooler-safe variant takes the simple protocol, with parameters interpolated by pgx.
// https://pkg.go.dev/github.com/jackc/pgx/v4#hdr-PgBouncer
import path from 'node:path';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { compiledHelper, helperCacheDir, type HelperBuild } from './compiled-helper.ts';
import { debianPackageVersion, installedPackages, upstreamVersion } from './debian-version.ts';
import { helperDriver, SharedHelper } from './helper-driver.ts';
import type { Capability } from './session.ts';
import { requireFile, SHIMS_DIR } from './shim-path.ts';

const GO = '/usr/bin/go';
const PGX_PACKAGE = 'golang-github-jackc-pgx-v4-dev';
const SOURCE = path.join(SHIMS_DIR, 'go', 'pgx_helper.go');

const build: HelperBuild = {
  id: 'pgx-helper',
  sources: [SOURCE],
  fingerprint: () => installedPackages(['golang-*']),
  binary: 'pgx-helper',
  steps: (out) => [
    {
      command: requireFile(GO, `apt-get install golang-go ${PGX_PACKAGE}`),
      args: [
        'build',
        '-trimpath',
        '-o',
        path.join(out, 'pgx-helper'),
        '-ldflags',
        `-X main.pgxVersion=${upstreamVersion(debianPackageVersion(PGX_PACKAGE) ?? 'unknown')}`,
        SOURCE,
      ],
      // Debian's Go sources, without modules (the module proxy is not needed, nor reachable).
      env: { GOPATH: '/usr/share/gocode', GO111MODULE: 'off', GOFLAGS: '', CGO_ENABLED: '0', GOCACHE: path.join(helperCacheDir(), 'go-build') },
    },
  ],
};

const helper = new SharedHelper(
  async () => ({
    name: "pgx helper (Go, built from Debian's golang-github-jackc-pgx-v4-dev)",
    command: await compiledHelper(build),
    args: [],
  }),
  TIMEOUT_MS.helperStart,
);

// anyClientEncoding only with the extended protocol: pgx's simple protocol refuses every query
// once client_encoding is not UTF8 ("simple protocol queries must be run with
// client_encoding=UTF8"), RESET client_encoding included, so the session cannot recover.
const common: Capability[] = [
  'cancel',
  'backendPid',
  'parameterStatus',
  'notifications',
  'notificationPid',
  'notices',
  'tls',
  'startupParams',
  'startupApplicationName',
  'loginErrorCode',
];
const notes =
  "Conn.Query with every result column in text (QueryResultFormatsByOID{}), values as the server's text; several statements through PgConn().Exec (simple protocol)";

export const pgxDriver = helperDriver({
  id: 'pgx',
  loginMs: 30,
  helper,
  library: 'pgx v4',
  debianPackage: PGX_PACKAGE,
  placeholders: 'native',
  settings: {},
  capabilities: [...common, 'anyClientEncoding', 'driverPrepares'],
  notes: `${notes}; statement_cache_mode prepare (default): every query is prepared as a named statement lrupsc_N_M and executed by name`,
});

export const pgxPoolerSafeDriver = helperDriver({
  id: 'pgx:pooler-safe',
  loginMs: 30,
  helper,
  library: 'pgx v4',
  debianPackage: PGX_PACKAGE,
  placeholders: 'native',
  settings: { prefer_simple_protocol: 'true' },
  capabilities: common,
  notes: `${notes}; prefer_simple_protocol=true: simple protocol always, parameters interpolated by pgx (a statement without them goes through Exec's path, which sends it as it is)`,
  poolerSafe: { setting: 'prefer_simple_protocol=true (PreferSimpleProtocol)', docs: 'https://pkg.go.dev/github.com/jackc/pgx/v4#hdr-PgBouncer' },
});
