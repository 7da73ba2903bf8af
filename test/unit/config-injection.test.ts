import { expect } from 'chai';
import { INI_LINE, ODYSSEY_STRING, PGPOOL_STRING } from '../../harness/poolers/config-syntax.ts';
import { odyssey } from '../../harness/poolers/odyssey/adapter.ts';
import { pgbouncer } from '../../harness/poolers/pgbouncer/adapter.ts';
import { pgpool } from '../../harness/poolers/pgpool/adapter.ts';
import type { PoolerAdapter } from '../../harness/poolers/pooler-adapter.ts';
import { poolers } from '../../harness/poolers/registry.ts';
import { renderFor } from '../render-fixture.ts';
import { targetSettingsProblem } from '../../harness/targets/target-settings.ts';
import { parseTarget, type TargetSpec } from '../../harness/targets/target-spec.ts';

const INJECTED = 'DISCARD ALL\nlogfile = /tmp/owned.log\n%include /etc/passwd';

const oneLine = (message: string | undefined) => {
  expect(message).to.be.a('string');
  expect(message).not.to.match(/[\r\n]/);
  return message!;
};

describe('config injection through target settings', () => {
  it('refuses a target whose text holds a line break, in one line naming it, before anything starts', () => {
    let message = '';
    try {
      parseTarget(`pgbouncer:session{server_reset_query=${INJECTED}}`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(oneLine(message)).to.match(/^bad target "pgbouncer:session\{server_reset_query=DISCARD ALL\\nlogfile = .*": it holds a line break/);
    expect(() => parseTarget('mypooler:tx{a=1\r}', { anyPooler: true })).to.throw(/control character/);
  });

  it("refuses, per target, a setting value its pooler's config file cannot hold as written", () => {
    // A spec made in code (a config file, a toggled feature switch) never went through parseTarget.
    const spec = (pooler: string, mode: string, settings: Record<string, string>): TargetSpec => ({
      id: `${pooler}:${mode}+`,
      pooler,
      mode,
      settings,
    });
    const problem = (t: TargetSpec) => oneLine(targetSettingsProblem([t], () => '1.18.0'));
    expect(problem(spec('pgbouncer', 'session', { server_reset_query: INJECTED }))).to.equal(
      'target pgbouncer:session+: pgbouncer setting server_reset_query="DISCARD ALL\\nlogfile = /tmp/owned.log\\n%include /etc/passwd" cannot be written as the rest of its line in an ini file: it holds the control character "\\n" (a line break ends a config line)',
    );
    expect(problem(spec('pgbouncer', 'session', { server_reset_query: ' DISCARD ALL' }))).to.match(/starts or ends with a blank/);
    expect(problem(spec('odyssey', 'transaction', { pool_discard: 'yes\n}\ndatabase "x" {' }))).to.match(
      /^target odyssey:transaction\+: odyssey setting pool_discard="yes\\n}/,
    );
    expect(targetSettingsProblem([spec('pgbouncer', 'session', { server_reset_query: 'DISCARD ALL; SELECT 1' })], () => '1.18.0')).to.equal(
      undefined,
    );
  });

  it('renders no config with a value that would leave its line or its quotes, whatever it comes from', () => {
    const lines = (files: Readonly<Record<string, string>>) => Object.values(files).map((text) => text.split('\n').length);
    for (const adapter of Object.values<PoolerAdapter>(poolers)) {
      const plain = lines(renderFor(adapter).files);
      for (const dir of ['/tmp/a\nb', '/tmp/a\rb', "/tmp/it's", '/tmp/a"b', '/tmp/back\\slash']) {
        let files: Readonly<Record<string, string>> | undefined;
        try {
          files = renderFor(adapter, { dir }).files;
        } catch (e) {
          expect((e as Error).message, `${adapter.id} ${dir}`).to.match(/^cannot write .* as /);
        }
        // Written, it stays on the lines it was meant for.
        if (files) expect(lines(files), `${adapter.id} ${JSON.stringify(dir)}`).to.deep.equal(plain);
      }
    }
    expect(() => renderFor(pgbouncer, { settings: { server_reset_query: INJECTED } })).to.throw(
      /cannot write server_reset_query as the rest of its line/,
    );
    expect(() => renderFor(pgpool, { dir: "/tmp/it's" })).to.throw(/cannot write socket_dir as a single-quoted string in pgpool.conf/);
    expect(() => renderFor(odyssey, { backend: { host: '127.0.0.1', port: 1, database: 'd', user: 'u', password: 'a"b' } })).to.throw(
      'cannot write the password as a double-quoted string in odyssey.conf: odyssey.conf cannot quote " or \\ inside a string',
    );
  });

  it('writes passwords into auth files only as their parsers read them back', () => {
    const backend = (password: string) => ({ host: '127.0.0.1', port: 1, database: 'd', user: 'u', password });
    expect(renderFor(pgbouncer, { backend: backend('a"b') }).files['userlist.txt']).to.contain('"pc_md5" "a""b"');
    expect(() => renderFor(pgbouncer, { backend: backend('a\n"x" "y"') })).to.throw(
      /^cannot write the password as a field of a one-entry-a-line file/,
    );
    expect(() => renderFor(pgpool, { backend: backend('a\nroot:TEXTx') })).to.throw(/^cannot write the password as a field/);
  });

  it('knows what each config syntax reads back unchanged', () => {
    expect(INI_LINE.problem('DISCARD ALL')).to.equal(undefined);
    expect(INI_LINE.problem('a\u007fb')).to.match(/control character/);
    expect(PGPOOL_STRING.problem('ABORT; DISCARD ALL')).to.equal(undefined);
    expect(PGPOOL_STRING.problem("x' listen_addresses = '*")).to.match(/cannot quote/);
    expect(PGPOOL_STRING.problem('x\\')).to.match(/cannot quote/);
    expect(ODYSSEY_STRING.problem('/tmp/x')).to.equal(undefined);
    expect(ODYSSEY_STRING.problem('x"}')).to.match(/cannot quote/);
  });
});
