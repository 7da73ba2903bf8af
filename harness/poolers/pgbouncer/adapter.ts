// pgbouncer: https://www.pgbouncer.org/config.html
import path from 'node:path';
import type { PoolerAdapter } from '../pooler-adapter.ts';
import { pgbouncerProfile } from './profile.ts';

export const pgbouncer: PoolerAdapter = {
  id: 'pgbouncer',
  title: 'PgBouncer',
  modes: ['session', 'transaction', 'statement'],
  docs: 'https://www.pgbouncer.org/features.html',
  binary: { program: 'pgbouncer', aptPackage: 'pgbouncer', candidates: ['/usr/sbin/pgbouncer'] },
  parseVersion: (line) => line.match(/(\d+\.\d+(?:\.\d+)?)/)?.[1] ?? line,
  stopSignal: 'SIGTERM', // immediate shutdown; SIGINT would wait for clients ("safe shutdown")
  profile: pgbouncerProfile,
  async resetServers(admin, databases) {
    // KILL drops the database's client and server connections at once (RECONNECT would wait
    // for the janitor, about a third of a second); RESUME lets new clients in again.
    // https://www.pgbouncer.org/usage.html#process-controlling-commands
    const dbs = [...new Set(Object.values(databases))];
    await admin.run([...dbs.map((d) => `KILL ${d}`), ...dbs.map((d) => `RESUME ${d}`)]);
  },
  render({ mode, port, backend, dir }) {
    const server = `host=${backend.host} port=${backend.port} dbname=${backend.database}`;
    // In session mode a client keeps its server until it disconnects, so a one-server pool
    // would make a second concurrent client wait: there both pools are wide, and sequential
    // clients still meet the same server through pgbouncer's LIFO reuse after its reset query.
    const singleSize = mode === 'session' ? 20 : 1;
    const ini = `[databases]
pc_single = ${server} pool_size=${singleSize}
pc_wide = ${server} pool_size=20

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
pool_mode = ${mode}
auth_type = scram-sha-256
auth_file = ${path.join(dir, 'userlist.txt')}
max_client_conn = 500
default_pool_size = 20
min_pool_size = 0
server_idle_timeout = 0
query_wait_timeout = 30
logfile =
pidfile =
log_connections = 1
log_disconnections = 1
admin_users = ${backend.user}
`;
    return {
      files: { 'pgbouncer.ini': ini, 'userlist.txt': `"${backend.user}" "${backend.password}"\n` },
      args: [path.join(dir, 'pgbouncer.ini')],
      databases: { single: 'pc_single', wide: 'pc_wide' },
      adminDatabase: 'pgbouncer',
    };
  },
};
