// How each adapter makes the roles and databases a scenario creates reachable, decided when its
// config is rendered, without their names: what the rendered files say, and the data the
// runner reads to skip a scenario a release cannot serve.
import { expect } from 'chai';
import { odyssey } from '../../harness/poolers/odyssey/adapter.ts';
import { pgbouncer } from '../../harness/poolers/pgbouncer/adapter.ts';
import { pgpool } from '../../harness/poolers/pgpool/adapter.ts';
import type { AdminConsole, PoolerAdapter, ResetTools } from '../../harness/poolers/pooler-adapter.ts';
import { poolers } from '../../harness/poolers/registry.ts';
import { EXTERNAL_REACH, unreachable } from '../../harness/poolers/scenario-reach.ts';
import { renderFor } from '../render-fixture.ts';

const LOOKUP = { user: 'pc_observer', password: 'lookup-pw-7e6d' };

const render = (adapter: PoolerAdapter, mode = adapter.modes[0]) =>
  renderFor(adapter, { mode, laneDatabases: ['poolcheck', 'poolcheck_1'], lookup: LOOKUP });

/** Odyssey's config as blocks: `database "x" { user "y" { ... } }` -> "x/y" -> its lines. */
function odysseyRules(conf: string): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  let db: string | undefined;
  let user: string | undefined;
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    const open = line.match(/^(database|user) ("[^"]*"|default) \{$/);
    if (open) {
      if (open[1] === 'database') db = open[2];
      else {
        user = open[2];
        rules.set(`${db}/${user}`, []);
      }
    } else if (line === '}') {
      if (user) user = undefined;
      else db = undefined;
    } else if (db && user) {
      rules.get(`${db}/${user}`)!.push(line);
    }
  }
  return rules;
}

describe('scenario roles and databases through each pooler', () => {
  it('every adapter says how it serves a role and a database its config does not list', () => {
    for (const adapter of Object.values<PoolerAdapter>(poolers)) {
      expect(adapter.scenarioReach.roles.how, adapter.id).to.be.a('string').and.not.equal('');
      expect(adapter.scenarioReach.databases.how, adapter.id).to.be.a('string').and.not.equal('');
    }
  });

  it('pgbouncer: any other database through "*", any other role through auth_query as the lookup role', () => {
    const { files } = render(pgbouncer);
    const ini = files['pgbouncer.ini'];
    // "*" without dbname: the client's database name is the server's.
    expect(ini).to.match(/^\* = host=127\.0\.0\.1 port=50002$/m);
    expect(ini).to.match(/^auth_user = pc_observer$/m);
    // The documented default auth_query (pg_shadow) stands: it is what users run.
    expect(ini).to.not.match(/^auth_query/m);
    expect(files['userlist.txt'].trim().split('\n')).to.include(`"pc_observer" "${LOOKUP.password}"`);
    // The fixed roles keep their own entries.
    expect(files['userlist.txt']).to.contain('"pc_md5"').and.contain('"pc_trust" ""');
    expect(files['pgbouncer_hba.conf']).to.match(/^host all all 127\.0\.0\.1\/32 scram-sha-256$/m);
  });

  it('Odyssey: a `user default` rule in every lane route and a `database default`, looking secrets up through an internal route', () => {
    for (const mode of odyssey.modes) {
      const rules = odysseyRules(render(odyssey, mode).files['odyssey.conf']);
      for (const [route, db, size] of [
        ['"pc_single_0"', 'poolcheck', 1],
        ['"pc_wide_1"', 'poolcheck_1', 20],
        ['default', undefined, 20],
      ] as const) {
        const lines = rules.get(`${route}/default`);
        expect(lines, `${mode} ${route}`).to.be.an('array');
        expect(lines).to.include('authentication "scram-sha-256"');
        expect(lines).to.include('auth_query "SELECT usename, passwd FROM pg_shadow WHERE usename=$1"');
        expect(lines).to.include('auth_query_db "pc_lookup"').and.include('auth_query_user "pc_observer"');
        expect(lines).to.include(`pool "${mode}"`).and.include(`pool_size ${size}`);
        // No server credentials: the client's own SCRAM key logs it in.
        expect(lines!.filter((l) => /^(storage_user|storage_password|password) /.test(l))).to.deep.equal([]);
        expect(lines!.filter((l) => l.startsWith('storage_db '))).to.deep.equal(db ? [`storage_db "${db}"`] : []);
      }
      const lookup = rules.get('"pc_lookup"/"pc_observer"')!;
      expect(lookup).to.include('pool_routing "internal"').and.include('storage_db "postgres"').and.include(`storage_password "${LOOKUP.password}"`);
      // The fixed roles keep their named rules, ahead of `default`.
      expect(rules.get('"pc_single_0"/"pc_md5"')).to.include('authentication "md5"');
      expect(rules.get('"pc_single_0"/"pc_trust"')).to.include('authentication "none"');
    }
  });

  it("Odyssey: only 1.5.2 and later pass a client's SCRAM key to the server, so earlier releases skip scenario roles", () => {
    expect(unreachable(odyssey.scenarioReach.roles, '1.5.1')).to.match(/odyssey#1463/);
    expect(unreachable(odyssey.scenarioReach.roles, '1.5.2')).to.equal(undefined);
    expect(unreachable(odyssey.scenarioReach.roles, null)).to.equal(undefined);
    expect(unreachable(odyssey.scenarioReach.databases, '1.4.0')).to.equal(undefined);
  });

  it('pgpool: any role not in pool_passwd is asked for its clear-text password, which it passes on', () => {
    const hba = render(pgpool).files['pool_hba.conf'].trim().split('\n');
    expect(hba).to.deep.equal([
      'host all pc_trust 127.0.0.1/32 trust',
      'host all pc_md5 127.0.0.1/32 md5',
      'host all poolcheck 127.0.0.1/32 scram-sha-256',
      'host all all 127.0.0.1/32 password',
      'host all pc_trust ::1/128 trust',
      'host all pc_md5 ::1/128 md5',
      'host all poolcheck ::1/128 scram-sha-256',
      'host all all ::1/128 password',
    ]);
  });

  it("an external pooler serves none of them: its config is its owner's", () => {
    expect(unreachable(EXTERNAL_REACH.roles, '1.24.1')).to.match(/configured by its owner/);
    expect(unreachable(EXTERNAL_REACH.databases, null)).to.match(/configured by its owner/);
  });

  it("Odyssey's reset empties the lane routes of the fixed roles only: a scenario role's route and the lookup route are left", async () => {
    // As 1.5.2 shows them: the database a server is logged in to, not the route's name.
    const servers: Array<Record<string, string | null>> = [
      { database: 'poolcheck', user: 'poolcheck' },
      { database: 'poolcheck', user: 'pc0_7_r' },
      { database: 'pc0_7_d', user: 'poolcheck' },
      { database: 'postgres', user: 'pc_observer' },
    ];
    const asked: string[] = [];
    const admin: AdminConsole = { query: async (command) => (command === 'SHOW SERVERS' ? servers : []) };
    const tools: ResetTools = {
      consoles: { single: admin, wide: admin },
      pools: { single: 'pc_single_0', wide: 'pc_wide_0' },
      database: 'poolcheck',
      roles: ['poolcheck', 'pc_md5', 'pc_trust'],
      terminateBackends: async () => undefined,
      asClient: async (pool, _sqls, user) => {
        asked.push(`${pool}:${user}`);
        // The client of that pool got its server and ended its backend: Odyssey drops it.
        const i = servers.findIndex((x) => x.user === user && x.database === 'poolcheck');
        if (i >= 0 && pool === 'single') servers.splice(i, 1);
        return 'closed';
      },
    };
    await odyssey.resetServers(tools);
    expect(asked).to.deep.equal(['single:poolcheck', 'wide:poolcheck']);
    expect(servers.map((s) => `${s.database}/${s.user}`)).to.deep.equal(['poolcheck/pc0_7_r', 'pc0_7_d/poolcheck', 'postgres/pc_observer']);
  });
});
