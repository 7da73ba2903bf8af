// pgbouncer: https://www.pgbouncer.org/config.html
import path from 'node:path';
import { poll } from '../../kernel/poll.ts';
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import { inRange } from '../../kernel/versions.ts';
import { holdingOf } from '../pool-shape.ts';
import { LOOPBACKS } from '../../kernel/loopbacks.ts';
import { configValue, INI_LINE, LINE_FIELD } from '../config-syntax.ts';
import type { PoolerAdapter } from '../pooler-adapter.ts';
import { boolean01, wholeNumber } from '../settings.ts';
import { pgbouncerProfile } from './profile.ts';

/** SHOW POOLS columns (pgbouncer 1.18+) counting cancel requests in flight. */
const CANCELS = ['cl_active_cancel_req', 'cl_waiting_cancel_req', 'sv_active_cancel', 'sv_being_canceled'];

export const pgbouncer: PoolerAdapter = {
  id: 'pgbouncer',
  title: 'PgBouncer',
  modes: ['session', 'transaction', 'statement'],
  defaultModes: ['session', 'transaction', 'statement'],
  docs: 'https://www.pgbouncer.org/features.html',
  binary: { program: 'pgbouncer', aptPackage: 'pgbouncer', candidates: ['/usr/sbin/pgbouncer'] },
  parseVersion: (line) => line.match(/(\d+\.\d+(?:\.\d+)?)/)?.[1] ?? line,
  // Immediate shutdown: SIGTERM up to 1.22, SIGQUIT from 1.23, where SIGTERM waits for every
  // client ("super safe shutdown", https://github.com/pgbouncer/pgbouncer/pull/902).
  stopSignal: (version) => (inRange(version, '>=1.23') ? 'SIGQUIT' : 'SIGTERM'),
  settings: {
    max_prepared_statements: {
      help: 'protocol-level named prepared statements in transaction and statement pooling (0: off)',
      versions: '>=1.21',
      // 1.21 added it off by default; 1.24 turned it on (https://github.com/pgbouncer/pgbouncer/pull/1144).
      defaults: [
        { versions: '<1.24', value: '0' },
        { versions: '>=1.24', value: '200' },
      ],
      check: wholeNumber,
      toggle: { off: '0', on: '200', modes: ['transaction'] },
    },
    server_reset_query_always: { help: 'run server_reset_query in every pooling mode', defaults: [{ versions: '*', value: '0' }], check: boolean01 },
    server_reset_query: {
      help: 'the query that cleans a server connection a client released (session pooling)',
      defaults: [{ versions: '*', value: 'DISCARD ALL' }],
    },
  },
  settingSyntax: INI_LINE,
  // One pgbouncer per lane: pgbouncer 1.18 exits ("FATAL ... server_proto(): server in bad
  // state: 11", pgbouncer#822, fixed in 1.21.0 by #927) when a server connection it is sending
  // a CancelRequest on gets a packet, which happened when backends were ended while a cancel
  // was in flight: one lane's quiesce during another lane's cancel, or a scenario's own cancel
  // still travelling when the scenario had ended (resetServers waits for those).
  instances: 'per-lane',
  costFactor: 1.1,
  pools: (mode) => ({
    // pool_size=1: a client waits for the one server; pgbouncer hands it to the next client once
    // the holder's transaction ends (transaction, statement pooling) or it disconnects (session
    // pooling, after server_reset_query). https://www.pgbouncer.org/config.html#pool_mode
    single: { servers: 1, holds: holdingOf(mode), reuse: 'the one server connection, after server_reset_query in session pooling' },
    // Idle servers are kept in a list and the last one released is taken first (LIFO).
    wide: { servers: 20, holds: holdingOf(mode), reuse: 'the server released last (LIFO)' },
  }),
  scenarioReach: {
    // A user not in auth_file is looked up with auth_query (pg_shadow, the documented default) as
    // auth_user, in the database the client asked for; pgbouncer then checks the client's SCRAM
    // proof against the secret and logs in to the server with the client's key.
    // https://www.pgbouncer.org/config.html#auth_user
    roles: { how: 'auth_user with the default auth_query (pg_shadow), run in the database the client names; SCRAM pass-through to the server' },
    // The "*" entry: a database name no other entry has goes to the server database of that name.
    // https://www.pgbouncer.org/config.html#section-databases
    databases: { how: 'the "*" fallback database entry (a pool per database and role, default_pool_size)' },
    // listen_addr takes a comma-separated list. https://www.pgbouncer.org/config.html#listen_addr
    ipv6: { how: 'listen_addr = 127.0.0.1,::1' },
  },
  profile: pgbouncerProfile,
  async resetServers({ consoles, pools: lane, terminateBackends }) {
    const admin = consoles.single;
    // Not KILL: pgbouncer 1.18 can die on KILL while a cancel-request client is still open
    // ("FATAL ... disconnect_client(): bad client state: 1", compare pgbouncer#801), and
    // RECONNECT waits for the janitor (about a third of a second). A terminated backend is
    // noticed at once: pgbouncer drops an idle server that sends anything.
    // A connection still on its way in (a driver retrying) can open a new server after the
    // first terminate, so terminate again until pgbouncer holds no server for the lane.
    const dbs = new Set(Object.values(lane));
    const until = Date.now() + TIMEOUT_MS.poolerReset;
    const left = () => Math.max(1, until - Date.now());
    let cancelling = 0;
    await poll(
      { what: `pgbouncer's cancel requests in flight on ${[...dbs].join(', ')} to end`, timeoutMs: left(), seen: () => `${cancelling} in flight` },
      async () => {
        cancelling = (await admin.query('SHOW POOLS'))
          .filter((r) => dbs.has(String(r.database)))
          .reduce((n, r) => n + CANCELS.reduce((m, c) => m + Number(r[c] ?? 0), 0), 0);
        return cancelling ? undefined : true;
      },
    );
    let servers = 0;
    let roundEnds = 0;
    await poll(
      {
        what: `pgbouncer to drop its server connections for ${[...dbs].join(', ')} after their backends were terminated`,
        timeoutMs: left(),
        seen: () => `${servers} left`,
      },
      async () => {
        if (Date.now() >= roundEnds) {
          await terminateBackends();
          roundEnds = Date.now() + 300;
        }
        servers = (await admin.query('SHOW SERVERS')).filter((r) => dbs.has(String(r.database))).length;
        return servers ? undefined : true;
      },
    );
  },
  render({ mode, port, backend, backendSecret, dir, laneDatabases, authRoles, lookup, tls, settings }) {
    const line = (what: string, v: string) => configValue(INI_LINE, what, v);
    // auth_file fields: double-quoted, a quote inside written twice (src/loader.c, copy_quoted).
    const field = (what: string, v: string) => `"${configValue(LINE_FIELD, what, v).replace(/"/g, '""')}"`;
    const server = (db: string) => `host=${backend.host} port=${backend.port} dbname=${db}`;
    const lanes = laneDatabases.map((_, i) => ({ single: `pc_single_${i}`, wide: `pc_wide_${i}` }));
    const ini = `[databases]
${laneDatabases.map((db, i) => `${lanes[i].single} = ${server(db)} pool_size=1\n${lanes[i].wide} = ${server(db)} pool_size=20`).join('\n')}
* = host=${backend.host} port=${backend.port}

[pgbouncer]
listen_addr = 127.0.0.1,::1
listen_port = ${port}
unix_socket_dir =
pool_mode = ${mode}
auth_type = hba
auth_hba_file = ${line('auth_hba_file', path.join(dir, 'pgbouncer_hba.conf'))}
auth_file = ${line('auth_file', path.join(dir, 'userlist.txt'))}
client_tls_sslmode = allow
client_tls_cert_file = ${line('client_tls_cert_file', tls.cert)}
client_tls_key_file = ${line('client_tls_key_file', tls.key)}
max_client_conn = 2000
; pgbouncer's docs advise this for JDBC clients, which send extra_float_digits at login; the
; value is then dropped (auth-transport/startup-extra-float-digits shows that).
ignore_startup_parameters = extra_float_digits
default_pool_size = 20
min_pool_size = 0
server_idle_timeout = 0
query_wait_timeout = 30
logfile =
pidfile =
log_connections = 1
log_disconnections = 1
admin_users = ${line('admin_users', backend.user)}
auth_user = ${line('auth_user', lookup.user)}
${Object.entries(settings)
  .map(([k, v]) => `${k} = ${line(k, v)}`)
  .join('\n')}
`;
    return {
      files: {
        'pgbouncer.ini': ini,
        // The app role by the SCRAM secret the server stores: pgbouncer checks clients against
        // it and logs in to the server with the client's proven key ("SCRAM pass-through",
        // https://www.pgbouncer.org/config.html#authentication-file-format). The md5 role by
        // its plain password, from which pgbouncer answers md5 both ways. The file stays in the
        // target's private folder.
        'userlist.txt':
          [
            `${field('the user', backend.user)} ${field('the SCRAM secret', backendSecret)}`,
            `${field('the md5 role', authRoles.md5)} ${field('the password', backend.password)}`,
            `${field('the trust role', authRoles.trust)} ""`,
            // auth_user's own password, with which pgbouncer logs in (md5) to run auth_query.
            `${field('the lookup role', lookup.user)} ${field('the password', lookup.password)}`,
          ].join('\n') + '\n',
        // The same methods per role as the database's pg_hba.conf (auth_type = hba).
        'pgbouncer_hba.conf':
          LOOPBACKS.flatMap((net) => [
            `host all ${authRoles.trust} ${net} trust`,
            `host all ${authRoles.md5} ${net} md5`,
            `host all all ${net} scram-sha-256`,
          ]).join('\n') + '\n',
      },
      args: [path.join(dir, 'pgbouncer.ini')],
      lanes,
      adminDatabase: 'pgbouncer',
    };
  },
};
