import { expect } from 'chai';
import { CHILDREN_PER_LANE, pgpool } from '../../harness/poolers/pgpool/adapter.ts';
import type { PoolKind } from '../../harness/poolers/pooler-adapter.ts';
import { findBinary, MissingBinaryError } from '../../harness/targets/binaries.ts';

const PASSWORD = 'pw-9f8e7d';
const DIR = '/tmp/poolcheck/abc123/pgpool-cache';

function render(port = 40001, lanes = ['poolcheck', 'poolcheck_1'], tls?: { cert: string; key: string }, pools: readonly PoolKind[] = ['wide']) {
  return pgpool.render({
    mode: 'cache',
    port,
    dir: DIR,
    laneDatabases: lanes,
    pools,
    backend: { host: '127.0.0.1', port: 50002, database: 'poolcheck', user: 'poolcheck', password: PASSWORD },
    backendSecret: 'SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5',
    authRoles: { md5: 'pc_md5', trust: 'pc_trust' },
    lookup: { user: 'pc_observer', password: PASSWORD },
    tls: tls ?? { cert: `${DIR}/server.crt`, key: `${DIR}/server.key` },
    settings: {},
    effectiveSettings: {},
  });
}

/** pgpool.conf as a map; values keep pgpool's quoting so the tests see what pgpool reads. */
function settings(conf: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of conf.split('\n').filter(Boolean)) {
    const m = line.match(/^(\w+) = (.*)$/);
    if (!m) throw new Error(`not a setting: ${line}`);
    if (out.has(m[1])) throw new Error(`${m[1]} set twice`);
    out.set(m[1], m[2]);
  }
  return out;
}

describe('pgpool config rendering', () => {
  it('runs one backend in raw mode with the connection cache, no load balancing, no failover', () => {
    const s = settings(render().files['pgpool.conf']);
    expect(s.get('backend_clustering_mode')).to.equal("'raw'");
    expect(s.get('backend_hostname0')).to.equal("'127.0.0.1'");
    expect(s.get('backend_port0')).to.equal('50002');
    expect(s.has('backend_hostname1')).to.equal(false);
    expect(s.get('connection_cache')).to.equal('true');
    expect(s.get('reset_query_list')).to.equal("'ABORT; DISCARD ALL'");
    expect(s.get('load_balance_mode')).to.equal('false');
    expect(s.get('backend_flag0')).to.equal("'DISALLOW_TO_FAILOVER'");
    expect(s.get('failover_on_backend_error')).to.equal('false');
    expect(s.get('failover_on_backend_shutdown')).to.equal('false');
    expect(s.get('health_check_period')).to.equal('0');
  });

  it('listens on 127.0.0.1 only, with its sockets, pid file and state in the target folder', () => {
    const s = settings(render(40001).files['pgpool.conf']);
    expect(s.get('listen_addresses')).to.equal("'127.0.0.1'");
    expect(s.get('port')).to.equal('40001');
    expect(s.get('pcp_listen_addresses')).to.equal("''");
    for (const k of ['socket_dir', 'pcp_socket_dir', 'wd_ipc_socket_dir', 'logdir']) expect(s.get(k), k).to.equal(`'${DIR}'`);
    expect(s.get('pid_file_name')).to.equal(`'${DIR}/pgpool.pid'`);
    expect(s.get('log_destination')).to.equal("'stderr'");
    expect(s.get('logging_collector')).to.equal('false');
  });

  it('names the PCP socket apart from the client socket, also at the top of the port range', () => {
    for (const port of [1025, 40001, 65535]) {
      const pcp = Number(settings(render(port).files['pgpool.conf']).get('pcp_port'));
      expect(pcp).to.not.equal(port);
      expect(pcp).to.be.within(1, 65535);
    }
  });

  it('has a child for every session and cancel each lane can have open at once, plus the admin console', () => {
    for (const lanes of [['poolcheck'], ['poolcheck', 'poolcheck_1', 'poolcheck_2']]) {
      const s = settings(render(40001, lanes).files['pgpool.conf']);
      const usable = Number(s.get('num_init_children')) - Number(s.get('reserved_connections'));
      expect(usable).to.be.at.least(lanes.length * CHILDREN_PER_LANE + 1);
    }
    expect(CHILDREN_PER_LANE).to.be.at.least(4); // three sessions and a cancel in flight
  });

  it('hands connections to idle children in a fixed order, one pgpool per lane', () => {
    const s = settings(render(40001, ['poolcheck']).files['pgpool.conf']);
    expect(s.get('serialize_accept')).to.equal('true');
    expect(s.get('child_life_time')).to.equal('0'); // serialize_accept is ignored otherwise
    expect(pgpool.instances).to.equal('per-pool');
  });

  it("serves the single pool with one child beside the admin console's, so the next client finds the backend the last one left", () => {
    const s = settings(render(40001, ['poolcheck'], undefined, ['single']).files['pgpool.conf']);
    expect(s.get('num_init_children')).to.equal('2');
    // Nothing refused: a second client waits for the child, as on a one-server pool.
    expect(s.get('reserved_connections')).to.equal('0');
    expect(s.get('connection_cache')).to.equal('true');
    expect(pgpool.pools('cache').single).to.include({ servers: 1, holds: 'session', clients: 1 });
    const wide = settings(render(40001, ['poolcheck'], undefined, ['wide']).files['pgpool.conf']);
    expect(Number(wide.get('num_init_children'))).to.be.at.least(CHILDREN_PER_LANE);
    expect(wide.get('reserved_connections')).to.equal('1');
  });

  it("maps the pools it serves onto the lane's database and uses postgres for the admin console", () => {
    const launch = render(40001, ['poolcheck', 'poolcheck_1']);
    expect(launch.lanes).to.deep.equal([{ wide: 'poolcheck' }, { wide: 'poolcheck_1' }]);
    expect(render(40001, ['poolcheck'], undefined, ['single']).lanes).to.deep.equal([{ single: 'poolcheck' }]);
    expect(launch.adminDatabase).to.equal('postgres');
  });

  it('authenticates like the database: SCRAM for the app role, md5 and trust for the test roles', () => {
    const { files } = render();
    expect(settings(files['pgpool.conf']).get('enable_pool_hba')).to.equal('true');
    expect(files['pool_hba.conf'].trim().split('\n').slice(0, 3)).to.deep.equal([
      'host all pc_trust 127.0.0.1/32 trust',
      'host all pc_md5 127.0.0.1/32 md5',
      'host all poolcheck 127.0.0.1/32 scram-sha-256',
    ]);
    expect(files.pool_passwd.trim().split('\n')).to.deep.equal([`poolcheck:TEXT${PASSWORD}`, `pc_md5:TEXT${PASSWORD}`]);
  });

  it('keeps the password out of everything but pool_passwd', () => {
    const launch = render();
    for (const [name, text] of Object.entries(launch.files)) {
      if (name !== 'pool_passwd') expect(text, name).to.not.contain(PASSWORD);
    }
    expect(launch.args.join(' ')).to.not.contain(PASSWORD);
    expect(settings(launch.files['pgpool.conf']).get('pool_passwd')).to.equal(`'${DIR}/pool_passwd'`);
  });

  it('starts in the foreground with every file from the target folder', () => {
    expect(render().args).to.deep.equal(['-n', '-D', '-f', `${DIR}/pgpool.conf`, '-F', `${DIR}/pcp.conf`, '-a', `${DIR}/pool_hba.conf`]);
    expect(render().files['pcp.conf']).to.equal('');
  });

  it('serves TLS with the given certificate', () => {
    const s = settings(render(40001, ['poolcheck'], { cert: '/x/c.crt', key: '/x/k.key' }).files['pgpool.conf']);
    expect(s.get('ssl')).to.equal('true');
    expect(s.get('ssl_cert')).to.equal("'/x/c.crt'");
    expect(s.get('ssl_key')).to.equal("'/x/k.key'");
    // pgpool's lexer reads '/x/it''s.crt' as two strings: a quote cannot be written at all.
    expect(() => render(40001, ['poolcheck'], { cert: "/x/it's.crt", key: '/x/k.key' })).to.throw(/cannot write ssl_cert as a single-quoted string/);
  });

  it('reads the version from pgpool --version', () => {
    expect(pgpool.parseVersion('pgpool-II version 4.3.5 (tamahomeboshi)')).to.equal('4.3.5');
    expect(pgpool.parseVersion('pgpool-II version 4.4.2 (nurikoboshi)')).to.equal('4.4.2');
  });
});

describe('pgpool binary', () => {
  it("is looked for where Debian's pgpool2 installs it", () => {
    expect(pgpool.binary).to.deep.equal({ program: 'pgpool', aptPackage: 'pgpool2', candidates: ['/usr/sbin/pgpool'] });
  });

  it('when missing, is one line naming the apt package and the --pgpool-bin flag', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() =>
        findBinary({
          program: pgpool.binary.program,
          aptPackage: pgpool.binary.aptPackage,
          flag: `--${pgpool.id}-bin PATH`,
          candidates: () => ['/nonexistent/pgpool'],
          allowInstall: false,
        }),
      ).to.throw(MissingBinaryError, 'pgpool not found: install it with `apt-get install pgpool2` or name it with --pgpool-bin PATH');
    } finally {
      process.env.PATH = saved;
    }
  });
});
