// pgpool-II 4.3 as a plain connection pooler: one PostgreSQL backend in the "raw" clustering
// mode, with its connection cache. Parameters: https://www.pgpool.net/docs/43/en/html/runtime-config.html
//
// Mode name: `cache`. pgpool has no pooling modes in pgbouncer's sense; what poolcheck tests is
// its connection cache (the `connection_cache` parameter, "Connection Pooling" in the docs):
// https://www.pgpool.net/docs/43/en/html/runtime-config-connection-pooling.html. The clustering
// mode ('raw') is about replication, not pooling, so it does not name the target.
import path from 'node:path';
import { poll } from '../../kernel/poll.ts';
import { inRange } from '../../kernel/versions.ts';
import { LOOPBACKS } from '../../kernel/loopbacks.ts';
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import { configValue, LINE_FIELD, PGPOOL_STRING } from '../config-syntax.ts';
import type { PoolerAdapter, PoolKind } from '../pooler-adapter.ts';
import { pgpoolProfile } from './profile.ts';

const DOCS = 'https://www.pgpool.net/docs/43/en/html';
/** Releases whose listen_addresses is one host name (a list came with 4.5). */
const IPV6_BEFORE = '<4.5';

/**
 * Client connections the wide pool of a lane can have open at once. A pgpool child process
 * serves one client connection for its whole life, and so does a CancelRequest: the child that
 * takes it forwards the cancel and then sleeps a second before accepting again
 * (src/protocol/child.c, cancel_request). The busiest scenarios hold three sessions and send up
 * to three cancels. https://www.pgpool.net/docs/43/en/html/runtime-config-connection.html#GUC-NUM-INIT-CHILDREN
 */
export const CHILDREN_PER_LANE = 8;

/**
 * Children beyond those: one for poolcheck's admin console (a session kept open on the
 * `postgres` database, which pgpool never caches), and one kept back by reserved_connections = 1
 * so that a connection beyond capacity is refused at once with 53300 "Sorry, too many clients
 * already" instead of waiting silently in the listen queue until a step times out.
 */
const EXTRA_CHILDREN = 2;

/**
 * Room for children pgpool loses to a crash. A child that dies on a signal never decrements
 * pgpool's shared count of connected clients (the decrement runs on a normal exit only), so each
 * crash lowers the number of clients pgpool admits (the count is only checked where
 * reserved_connections > 0) for the rest of its life; 4.3.5 crashes when a client disconnects
 * after a failed PREPARE TRANSACTION (see the profile). Without this room one scenario's crash
 * would fail later, unrelated scenarios with 53300.
 */
const CRASH_HEADROOM = 24;

/**
 * The single pool's process has two children: poolcheck's admin console holds one for the
 * run, so every client of the single pool goes to the other, one at a time, and finds the
 * backend the previous client left in its cache (after reset_query_list). With only that child
 * free, a second client (or a CancelRequest) waits in the listen queue until the first leaves;
 * reserved_connections stays 0 there, so nothing is refused. That is why a lane's two pools are
 * two pgpool processes (instances: 'per-pool'): the wide one is for clients that run at once.
 */
const SINGLE_CHILDREN = 2;

/** Rows of SHOW POOL_POOLS: one per child x cache slot x backend. */
type PoolRow = Record<string, string | null>;

/** The lane's connections pgpool is still serving a client on (the reset query included). */
function servedRows(rows: readonly PoolRow[], databases: ReadonlySet<string>): PoolRow[] {
  return rows.filter((r) => databases.has(String(r.database)) && r.pool_connected === '1');
}

/** A value as pgpool.conf reads it: text single-quoted (only if pgpool can read it back), numbers and booleans bare. */
const quote = (key: string, v: string | number | boolean) => (typeof v === 'string' ? `'${configValue(PGPOOL_STRING, key, v)}'` : String(v));

export const pgpool: PoolerAdapter = {
  id: 'pgpool',
  title: 'pgpool-II',
  modes: ['cache'],
  defaultModes: ['cache'],
  docs: `${DOCS}/runtime-config-connection-pooling.html`,
  binary: { program: 'pgpool', aptPackage: 'pgpool2', candidates: ['/usr/sbin/pgpool'] },
  // "pgpool-II version 4.3.5 (tamahomeboshi)"
  parseVersion: (line) => line.match(/version (\d+\.\d+(?:\.\d+)?)/)?.[1] ?? line,
  // Children serve whichever database their next client names, so lanes in one pgpool would
  // share children and turn each other's accept queue; and the single pool's shape needs a
  // process of its own (SINGLE_CHILDREN).
  instances: 'per-pool',
  costFactor: 1.25,
  pools: () => ({
    single: {
      servers: 1,
      holds: 'session',
      clients: 1,
      reuse: "the backend the previous client's child cached, after reset_query_list (one child serves the pool)",
    },
    wide: {
      servers: CHILDREN_PER_LANE,
      holds: 'session',
      reuse: 'a fresh backend: the next client goes to the child idle the longest (serialize_accept)',
    },
  }),
  // SIGINT is pgpool's fast shutdown (children are stopped, clients disconnected); SIGTERM is
  // smart shutdown, which waits for clients. https://www.pgpool.net/docs/43/en/html/server-stop.html
  stopSignal: () => 'SIGINT',
  settings: {},
  settingSyntax: PGPOOL_STRING,
  scenarioReach: {
    // pool_passwd is a file pgpool reads at start: it cannot hold a role made later. pool_hba's
    // "password" method asks the client for its password in clear text and logs in to
    // PostgreSQL with it, without pool_passwd.
    // https://www.pgpool.net/docs/43/en/html/auth-methods.html#AUTH-PASSWORD
    roles: { how: 'pool_hba "password": the client\'s clear-text password, passed on to PostgreSQL (pool_passwd cannot hold a role made later)' },
    // A child serves whichever database its client names (one cache slot per role and database).
    databases: { how: 'any database name, served by the child the client lands on' },
    ipv6: {
      how: "listen_addresses = '127.0.0.1,::1'",
      cannot: {
        versions: IPV6_BEFORE,
        why: "pgpool-II before 4.5 listens on one host name or '*' (listen_addresses), so it cannot listen on both loopbacks without listening on every address (https://www.pgpool.net/docs/43/en/html/runtime-config-connection.html)",
      },
    },
  },
  profile: pgpoolProfile,

  async resetServers({ consoles, pools: lane, terminateBackends }) {
    // A child caches its backend after its client leaves, once pgpool's reset_query_list
    // (ABORT; DISCARD ALL) has run on it; until then the child still counts the client as
    // connected (pool_connected = 1 in SHOW POOL_POOLS). Waiting for that first means no backend
    // is terminated under a running reset, and the children of the last scenario are free again.
    // https://www.pgpool.net/docs/43/en/html/sql-show-pool-pools.html
    // A child that hangs with its client gone (pgpool waiting on a backend for a reply the
    // client's protocol never asked for: a finding the scenario already made) is freed by ending
    // its backend, once the reset had a second to end on its own.
    const dbs = new Set(Object.values(lane));
    let busy: PoolRow[] = [];
    const patience = Date.now() + 1000;
    await poll(
      {
        what: `pgpool to stop serving the scenario's ${[...dbs].join(', ')} client connections`,
        timeoutMs: TIMEOUT_MS.poolerReset,
        seen: () => `${busy.length} still served (children ${busy.map((r) => r.pool_pid).join(', ')})`,
      },
      async () => {
        // Each pool is a pgpool process of its own, with its own children.
        busy = (await Promise.all([...new Set(Object.values(consoles))].map((c) => c.query('SHOW POOL_POOLS')))).flatMap((rows) =>
          servedRows(rows, dbs),
        );
        if (busy.length && Date.now() > patience) await terminateBackends();
        return busy.length ? undefined : true;
      },
    );
    // pgpool has no command that drops a child's cached connections (PCP and the SHOW/PGPOOL SQL
    // commands only report), so the backends are ended from the database side, as for pgbouncer.
    // Ending an idle cached backend does not make pgpool fail over (that needs a client reading
    // the 57P01 error, and failover_on_backend_shutdown / failover_on_backend_error are off, the
    // backend DISALLOW_TO_FAILOVER), and pgpool 4.3 does not hand the dead connection to the next
    // client: before reusing a cached connection the child checks its socket, finds it readable
    // (the FATAL and the close), logs "connection closed ... retry to create new connection pool"
    // and opens a fresh backend (pool_get_cp in src/protocol/pool_connection_pool.c). The local
    // provider then waits until the lane's backends are gone, so that check can only see them dead.
    // https://www.pgpool.net/docs/43/en/html/restrictions.html (pg_terminate_backend and failover)
    await terminateBackends();
  },

  render(opts) {
    const { port, backend, dir, laneDatabases, authRoles, tls, pools, version } = opts;
    // Both pools are the lane's database through a pgpool listener; what differs is the
    // process. pgpool has no per-database pool size: each client gets a child process of its
    // own for its whole session, and that child's cached backend for its (user, database,
    // startup packet). The wide pool's process has a child for each client a scenario runs at
    // once; by default every idle child races for the next connection and the scheduler picks
    // the winner, so with serialize_accept idle children queue for the accept lock first in,
    // first out (a SysV semaphore): the next client goes to the child idle the longest, which
    // is never the one a client just left. Sequential clients there get fresh backends. The
    // single pool's process has one child for clients (SINGLE_CHILDREN): the next client gets
    // the backend the last one left, as pgpool's reset_query_list left it.
    // https://www.pgpool.net/docs/43/en/html/runtime-config-connection-pooling.html#GUC-SERIALIZE-ACCEPT
    const single = pools.length === 1 && pools[0] === 'single';
    const lanes = laneDatabases.map((db) => Object.fromEntries(pools.map((p) => [p, db])) as Partial<Record<PoolKind, string>>);
    const file = (name: string) => path.join(dir, name);
    const settings: Array<[string, string | number | boolean]> = [
      // One backend, no replication or load balancing: pgpool as a connection pool only.
      // https://www.pgpool.net/docs/43/en/html/runtime-config-running-mode.html
      ['backend_clustering_mode', 'raw'],
      ['backend_hostname0', backend.host],
      ['backend_port0', backend.port],
      // A single backend marked down would leave pgpool refusing every client for the rest of the run.
      ['backend_flag0', 'DISALLOW_TO_FAILOVER'],
      ['failover_on_backend_error', false],
      ['failover_on_backend_shutdown', false],
      ['health_check_period', 0],
      ['load_balance_mode', false],
      ['replicate_select', false],
      ['insert_lock', false],
      ['memory_cache_enabled', false],
      // pgpool-II sizes (and touches) the query cache's shared memory even with the cache off:
      // 134 MB per instance at the defaults, 1.4 MB with these (seen with 4.3.5's "allocating ...
      // bytes of shared memory segment" log line). Ten instances start at once for five lanes.
      ['memqcache_total_size', 1024 * 1024],
      ['memqcache_max_num_cache', 100],
      // Left at their defaults, these make pgpool look a table or function up in the system
      // catalog the first time a child (or, with the shared relation cache, any child) meets it,
      // with a query of its own on the client's backend: whether that query runs would depend on
      // which scenarios ran before on that child. They only feed load-balancing decisions, which
      // raw mode does not make; the function list is the one the docs advise (Example 5-4).
      // https://www.pgpool.net/docs/43/en/html/runtime-config-load-balancing.html
      // https://www.pgpool.net/docs/43/en/html/runtime-misc.html
      ['read_only_function_list', ''],
      ['write_function_list', 'nextval,setval,lastval,currval'],
      ['check_temp_table', 'none'],
      ['check_unlogged_table', false],
      ['enable_shared_relcache', false],

      // TCP on 127.0.0.1 only. pgpool always listens on a Unix socket too, and PCP always does:
      // both sockets go to the target's private folder. PCP has no TCP listener and no users
      // (empty pcp.conf); its socket needs a port number different from pgpool's to have its own name.
      // https://www.pgpool.net/docs/43/en/html/runtime-config-connection.html
      ['listen_addresses', version != null && !inRange(version, IPV6_BEFORE) ? '127.0.0.1,::1' : '127.0.0.1'],
      ['port', port],
      ['socket_dir', dir],
      ['pcp_listen_addresses', ''],
      ['pcp_port', port < 65535 ? port + 1 : port - 1],
      ['pcp_socket_dir', dir],
      ['wd_ipc_socket_dir', dir],
      ['use_watchdog', false],
      ['num_init_children', single ? SINGLE_CHILDREN : laneDatabases.length * CHILDREN_PER_LANE + EXTRA_CHILDREN + CRASH_HEADROOM],
      ['reserved_connections', single ? 0 : 1],

      // The connection cache under test, with the documented reset for PostgreSQL 8.3 and later.
      // One slot per (user, database) a child has served; the oldest is closed when they run out.
      // Children and cached connections never expire on a timer, so nothing changes between steps.
      // https://www.pgpool.net/docs/43/en/html/runtime-config-connection-pooling.html
      ['connection_cache', true],
      ['max_pool', 4],
      ['reset_query_list', 'ABORT; DISCARD ALL'],
      ['serialize_accept', true],
      ['child_life_time', 0], // serialize_accept has no effect unless child_life_time is 0
      ['child_max_connections', 0],
      ['connection_life_time', 0],
      ['client_idle_limit', 0],

      // Clients authenticate to pgpool as they would to PostgreSQL (the same methods per role as
      // its pg_hba.conf); pgpool logs in to the backend with the password from pool_passwd, whose
      // TEXT entries serve both SCRAM and md5. https://www.pgpool.net/docs/43/en/html/auth-methods.html
      ['enable_pool_hba', true],
      ['pool_passwd', file('pool_passwd')],
      ['allow_clear_text_frontend_auth', false],

      // Logs on stderr (the local provider writes them to logs/); state files in the target's folder.
      ['log_destination', 'stderr'],
      ['logging_collector', false],
      ['log_connections', true],
      ['log_disconnections', true],
      ['pid_file_name', file('pgpool.pid')],
      ['logdir', dir],
    ];
    // TLS for clients that ask (sslmode=require); pgpool then also speaks TLS to the backend.
    // https://www.pgpool.net/docs/43/en/html/runtime-ssl.html
    settings.push(['ssl', true], ['ssl_cert', tls.cert], ['ssl_key', tls.key]);
    const conf = settings.map(([k, v]) => `${k} = ${quote(k, v)}`).join('\n') + '\n';

    const withPassword = [backend.user, authRoles.md5];
    const word = (what: string, v: string) => configValue(LINE_FIELD, what, v);
    const hba = LOOPBACKS.flatMap((net) => [
      `host all ${word('the trust role', authRoles.trust)} ${net} trust`,
      `host all ${word('the md5 role', authRoles.md5)} ${net} md5`,
      `host all ${word('the app role', backend.user)} ${net} scram-sha-256`,
      // Any other role (a scenario's own) is not in pool_passwd (scenarioReach).
      `host all all ${net} password`,
    ]);
    return {
      files: {
        'pgpool.conf': conf,
        'pool_hba.conf': hba.join('\n') + '\n',
        // user:TEXTpassword; the file stays in the target's private folder (mode 0600).
        pool_passwd:
          withPassword
            .map((u) => `${configValue(LINE_FIELD, 'a user', u)}:TEXT${configValue(LINE_FIELD, 'the password', backend.password)}`)
            .join('\n') + '\n',
        'pcp.conf': '',
      },
      // -n: stay in the foreground (a managed child); -D: ignore any saved backend status.
      // https://www.pgpool.net/docs/43/en/html/pgpool.html
      args: ['-n', '-D', '-f', file('pgpool.conf'), '-F', file('pcp.conf'), '-a', file('pool_hba.conf')],
      lanes,
      // pgpool answers SHOW POOL_* itself on any connection; `postgres` is one it never caches.
      adminDatabase: 'postgres',
    };
  },
};
