// Odyssey (https://github.com/yandex/odyssey), as Debian packages it (sid: 1.5.2). Config:
// https://github.com/yandex/odyssey/blob/master/docs/configuration/rules.md and global.md.
// Every key is written out: Odyssey refuses a config with a key it does not know, and its
// documented defaults are older than 1.5's (prepared-statement support on, smart discard).
import path from 'node:path';
import { poll } from '../../kernel/poll.ts';
import { TIMEOUT_MS } from '../../kernel/timeouts.ts';
import { holdingOf } from '../pool-shape.ts';
import { configValue, ODYSSEY_STRING, ODYSSEY_WORD } from '../config-syntax.ts';
import type { PoolerAdapter, PoolKind, RenderOptions } from '../pooler-adapter.ts';
import type { SettingSpec, SettingSpecs } from '../settings.ts';
import { odysseyProfile } from './profile.ts';

const DOCS = 'https://github.com/yandex/odyssey/blob/master/docs/configuration/rules.md';

/** The internal route auth_query runs through (a database name no client uses). */
const LOOKUP_ROUTE = 'pc_lookup';

const yesNo = (v: string): string | undefined => (v === 'yes' || v === 'no' ? undefined : 'expected yes or no');

/** A yes/no rule option of Odyssey's, with its 1.5 default. */
const flagSetting = (help: string, value: string): SettingSpec => ({ help, defaults: [{ versions: '*', value }], check: yesNo });

/** A double-quoted string, only if Odyssey reads it back as written (it keeps escapes as they are). */
const quote = (v: string | number, what = 'a value') => `"${configValue(ODYSSEY_STRING, what, String(v))}"`;

/**
 * The route Odyssey runs auth_query through, reachable by its own internal clients only; on the
 * `postgres` database, outside every lane, so the quiesce never waits for its servers. Each
 * lookup logs a new server in and closes it (auth_query.c), and a login waits at most 500 ms for
 * its route's first lookup: on a busy machine that login can fail ("failed to make auth query").
 */
const lookupRoute = (lookup: RenderOptions['lookup']) => [
  `database ${quote(LOOKUP_ROUTE)} {`,
  `\tuser ${quote(lookup.user)} {`,
  '\t\tauthentication "none"',
  '\t\tstorage "postgres"',
  '\t\tstorage_db "postgres"',
  `\t\tstorage_user ${quote(lookup.user)}`,
  `\t\tstorage_password ${quote(lookup.password, 'the password')}`,
  '\t\tpool "session"',
  '\t\tpool_size 2',
  '\t\tpool_timeout 30000',
  '\t\tpool_routing "internal"',
  '\t}',
  '}',
];

const SETTINGS: SettingSpecs = {
  pool_reserve_prepared_statement: {
    ...flagSetting("keep each client's protocol-level prepared statements and prepare them on whatever server it gets (transaction pooling)", 'yes'),
    // 1.5.0 made it the default (debian/changelog, PR #1174); Odyssey refuses it with session pooling.
    defaults: [{ modes: ['session'], value: 'no' }, { versions: '<1.5', value: 'no' }, { value: 'yes' }],
    toggle: { off: 'no', on: 'yes', modes: ['transaction'] },
  },
  // 1.5.0 also turned DISCARD ALL off and smart discard on where prepared statements are kept;
  // Odyssey refuses DISCARD ALL with them (it would drop the statements it keeps).
  pool_discard: {
    ...flagSetting('run DISCARD ALL on a server when a client leaves it (refused with pool_reserve_prepared_statement)', 'yes'),
    defaults: [{ when: { pool_reserve_prepared_statement: 'yes' }, value: 'no' }, { value: 'yes' }],
  },
  pool_smart_discard: {
    ...flagSetting('reset a released server with DISCARD ALL without DEALLOCATE ALL (needs pool_reserve_prepared_statement)', 'no'),
    defaults: [{ when: { pool_reserve_prepared_statement: 'yes' }, value: 'yes' }, { value: 'no' }],
  },
  pool_cancel: flagSetting('cancel what a leaving client left running on its server, instead of closing the server', 'yes'),
  pool_rollback: flagSetting('roll back what a leaving client left open on its server, instead of closing the server', 'yes'),
};

export const odyssey: PoolerAdapter = {
  id: 'odyssey',
  title: 'Odyssey',
  modes: ['session', 'transaction'],
  // Only sid packages it: a run names it (--targets), with the sid image or a build of one's own.
  defaultModes: [],
  docs: DOCS,
  binary: { program: 'odyssey', aptPackage: 'odyssey', candidates: ['/usr/bin/odyssey'] },
  // "odyssey 1.5.2 release +pam -ldap +systemd -prom"
  parseVersion: (line) => line.match(/(\d+\.\d+(?:\.\d+)?)/)?.[1] ?? line,
  // With max_sigterms_to_die 1 the first SIGTERM ends Odyssey at once, without the graceful
  // shutdown that waits for clients (sources/sighandler.c).
  stopSignal: () => 'SIGTERM',
  // One Odyssey per lane: its clients and servers are counted per process in the reset.
  instances: 'per-lane',
  costFactor: 1.1,
  // Debian packages Odyssey in sid only (1.5.2).
  debianSuites: ['sid'],
  pools: (mode) => ({
    // pool_size 1: a client waits (up to pool_timeout) for the one server, which Odyssey hands
    // to the next client when the holder's transaction ends (transaction pooling) or it
    // disconnects (session pooling, after pool_discard / pool_smart_discard).
    single: { servers: 1, holds: holdingOf(mode), reuse: 'the one server connection, after its discard in session pooling' },
    wide: { servers: 20, holds: holdingOf(mode), reuse: 'an idle server of the route, as Odyssey picks it' },
  }),
  settings: SETTINGS,
  settingSyntax: ODYSSEY_WORD,
  scenarioReach: {
    // `user default` with auth_query (pg_shadow, as rules.md shows it) run through an internal
    // route as poolcheck's lookup role; no storage_password, so Odyssey logs in to the server
    // with the key the client's SCRAM proof gave it (SCRAM pass-through, #1463, in 1.5.2).
    // https://github.com/yandex/odyssey/blob/master/docs/configuration/rules.md
    roles: {
      how: '`user default` rules with auth_query (pg_shadow) through an internal route; SCRAM pass-through to the server',
      cannot: {
        versions: '<1.5.2',
        why: "Odyssey before 1.5.2 cannot log in to PostgreSQL with the key a client's SCRAM proof gives (pass-through came with yandex/odyssey#1463), so a role whose password it does not hold cannot reach the server",
      },
    },
    databases: { how: '`database default`: a database name no rule has goes to the server database of that name' },
    // One `listen` section per address. https://github.com/yandex/odyssey/blob/master/docs/configuration/listen.md
    ipv6: { how: 'a second `listen` section, host "::1"' },
  },
  profile: odysseyProfile,

  async resetServers({ consoles, database, roles, terminateBackends, asClient }) {
    const admin = consoles.single;
    // Odyssey does not watch an idle server's socket: a backend ended behind its back stays in
    // the pool, and the next client's query meets its FATAL 57P01. Its console has no command
    // that closes servers (1.5.2 refuses DROP SERVERS), but it closes a server that dies while
    // a client holds it: a client of each pool takes a server and ends that backend itself,
    // until Odyssey holds none. A pool without an idle server opens a fresh one for it, which
    // goes the same way.
    let clients: Array<Record<string, string | null>> = [];
    // Who is left, as SHOW CLIENTS names them: enough to tell a client poolcheck never closed from one Odyssey never let go.
    const who = (c: Record<string, string | null>) => `${c.user}@${c.database} ${c.state ?? ''}`.trim();
    await poll(
      {
        what: "Odyssey's clients of the last scenario to leave",
        timeoutMs: TIMEOUT_MS.poolerReset,
        seen: () => `${clients.length} still connected (${clients.map(who).join(', ')})`,
      },
      async () => {
        clients = (await admin.query('SHOW CLIENTS')).filter((r) => r.database !== 'console');
        return clients.length ? undefined : true;
      },
    );
    // Only the lane's own routes: the lookup route's servers serve the next auth_query, and a
    // route of a scenario's own role or database (`default` rules) is never asked for again once
    // its scenario dropped them (its backends ended with them). SHOW SERVERS names a server's
    // database as the server has it (1.5.2: the storage_db), not the route's.
    const mine = (s: Record<string, string | null>) => s.database === database && roles.includes(String(s.user));
    let servers: Array<Record<string, string | null>> = [];
    await poll(
      { what: 'Odyssey to hold no server connection', timeoutMs: TIMEOUT_MS.poolerReset, seen: () => `${servers.length} left` },
      async () => {
        servers = (await admin.query('SHOW SERVERS')).filter(mine);
        if (!servers.length) return true;
        // Servers belong to a route of one role: its own client takes them.
        const users = [...new Set(servers.map((s) => String(s.user)))];
        await Promise.all(
          users.flatMap((user) =>
            (['single', 'wide'] as const).map((pool) => asClient(pool, ['BEGIN', 'SELECT pg_terminate_backend(pg_backend_pid())'], user)),
          ),
        );
        return undefined;
      },
    );
    // What is left on the database (a backend Odyssey already forgot) goes too.
    await terminateBackends();
  },

  // Every option is written as the release runs it (the target's facts), so that the config and
  // the profile's conditions read the same values; releases before 1.5 had other option names.
  render({ mode, port, backend, dir, laneDatabases, authRoles, lookup, tls, effectiveSettings: options }) {
    const lanes = laneDatabases.map((_, i) => ({ single: `pc_single_${i}`, wide: `pc_wide_${i}` }));
    const pooling = (size: number) => [
      `\t\tpool ${quote(mode)}`,
      `\t\tpool_size ${size}`,
      // A client waits for a server at most this long (ms), then gets an error: a step's
      // deadline is the shorter wait, so a waiting client shows as no answer.
      '\t\tpool_timeout 30000',
      // Idle servers are closed after this many seconds.
      '\t\tpool_ttl 3600',
      ...Object.entries(options).map(([k, v]) => `\t\t${k} ${configValue(ODYSSEY_WORD, k, v)}`),
    ];
    const user = (name: string, auth: string, db: string, size: number) => [
      `\tuser ${quote(name)} {`,
      `\t\tauthentication ${quote(auth)}`,
      ...(auth === 'none' ? [] : [`\t\tpassword ${quote(backend.password, 'the password')}`]),
      `\t\tstorage "postgres"`,
      `\t\tstorage_db ${quote(db)}`,
      `\t\tstorage_user ${quote(name)}`,
      ...(auth === 'none' ? [] : [`\t\tstorage_password ${quote(backend.password, 'the password')}`]),
      ...pooling(size),
      '\t}',
    ];
    // Any other role (a scenario's own): its secret from auth_query, and no storage_user or
    // storage_password, so the server login is the client's own (scenarioReach). Without
    // storage_db, the database the client names.
    const anyone = (db: string | undefined, size: number) => [
      '\tuser default {',
      '\t\tauthentication "scram-sha-256"',
      `\t\tauth_query "SELECT usename, passwd FROM pg_shadow WHERE usename=$1"`,
      `\t\tauth_query_db ${quote(LOOKUP_ROUTE)}`,
      `\t\tauth_query_user ${quote(lookup.user)}`,
      `\t\tstorage "postgres"`,
      ...(db === undefined ? [] : [`\t\tstorage_db ${quote(db)}`]),
      ...pooling(size),
      '\t}',
    ];
    const route = (name: string, db: string, size: number) => [
      `database ${quote(name)} {`,
      ...user(backend.user, 'scram-sha-256', db, size),
      ...user(authRoles.md5, 'md5', db, size),
      ...user(authRoles.trust, 'none', db, size),
      ...anyone(db, size),
      '}',
    ];
    const conf = [
      'daemonize no',
      'log_to_stdout yes',
      'log_format "%p %t %l [%i %s] (%c) %m\\n"',
      'log_debug no',
      'log_config yes',
      'log_session yes',
      'log_query no',
      'log_stats no',
      'workers 1',
      'resolvers 1',
      `locks_dir ${quote(dir)}`,
      // A second Odyssey must not share the port silently (SO_REUSEPORT, on in 1.5 by default).
      'enable_online_restart no',
      'bindwith_reuseport no',
      'graceful_shutdown_timeout_ms 1000',
      'max_sigterms_to_die 1',
      'listen {',
      '\thost "127.0.0.1"',
      `\tport ${port}`,
      '\ttls "allow"',
      `\ttls_cert_file ${quote(tls.cert)}`,
      `\ttls_key_file ${quote(tls.key)}`,
      '}',
      // A listen section per address (docs/configuration/listen.md): the IPv6 loopback too.
      'listen {',
      '\thost "::1"',
      `\tport ${port}`,
      '\ttls "allow"',
      `\ttls_cert_file ${quote(tls.cert)}`,
      `\ttls_key_file ${quote(tls.key)}`,
      '}',
      'storage "postgres" {',
      '\ttype "remote"',
      `\thost ${quote(backend.host)}`,
      `\tport ${backend.port}`,
      '}',
      'storage "local" {',
      '\ttype "local"',
      '}',
      ...laneDatabases.flatMap((db, i) => [...route(lanes[i].single, db, 1), ...route(lanes[i].wide, db, 20)]),
      // A database no rule names (a scenario's own) goes to the server database of that name.
      'database default {',
      ...anyone(undefined, 20),
      '}',
      ...lookupRoute(lookup),
      'database "console" {',
      '\tuser default {',
      '\t\tauthentication "none"',
      '\t\trole "admin"',
      '\t\tpool "session"',
      '\t\tstorage "local"',
      '\t}',
      '}',
      '',
    ].join('\n');
    return {
      files: { 'odyssey.conf': conf },
      args: [path.join(dir, 'odyssey.conf')],
      lanes: lanes.map((l): Record<PoolKind, string> => l),
      adminDatabase: 'console',
    };
  },
};
