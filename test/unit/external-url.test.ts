import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEndpoint, parseEndpoints, readPassword } from '../../harness/targets/providers/external-url.ts';
import { tempDir } from '../temp-dir.ts';

describe('external target URLs and passwords', () => {
  it('parse postgres:// URLs with user, host, port and database', () => {
    expect(parseEndpoint('external-pooled', 'postgres://app@pooler.example:6432/appdb')).to.deep.equal({
      host: 'pooler.example',
      port: 6432,
      user: 'app',
      database: 'appdb',
    });
    expect(parseEndpoint('external-direct', 'postgresql://a%40b@[::1]/d%20b')).to.deep.equal({
      host: '::1',
      port: 5432,
      user: 'a@b',
      database: 'd b',
    });
    expect(parseEndpoints('external-pooled', ['postgres://a@h:1/x', 'postgres://a@h:1/y']).map((e) => e.database)).to.deep.equal(['x', 'y']);
  });

  it('refuse a password in a URL, naming where it belongs, without repeating it', () => {
    let message = '';
    try {
      parseEndpoint('external-direct', 'postgres://app:hunter2@db:5432/appdb');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/--external-direct: the URL holds a password; give it with --password-env VAR or --password-file FILE/);
    expect(message).not.to.contain('hunter2');
  });

  it('never repeat a password, even in a URL that does not parse or in its parameters', () => {
    const refused = (url: string) => {
      try {
        parseEndpoint('external-pooled', url);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    for (const url of [
      'postgres://app:PW-1@host:bad-port/db',
      'postgres://app@host/db?password=PW-2&sslmode=off',
      'postgres://app:P/W@3@host:x/db',
      'postgres://app:PW-4@/db',
    ]) {
      const message = refused(url);
      expect(message, url).to.match(/^--external-pooled: /);
      expect(message, url).not.to.match(/PW|P\/W/);
    }
    expect(refused('postgres://app:PW-1@host:bad-port/db')).to.contain('postgres://app:<redacted>@host:bad-port/db');
  });

  it('refuse what would be ignored or guessed: other schemes, parameters, missing user or database', () => {
    expect(() => parseEndpoint('external-pooled', 'mysql://a@h/db')).to.throw(/expected a postgres:\/\/ URL/);
    expect(() => parseEndpoint('external-pooled', 'postgres://a@h/db?sslmode=require')).to.throw(/URL parameters/);
    expect(() => parseEndpoint('external-pooled', 'postgres://h:5432/db')).to.throw(/needs a user, a host and a database/);
    expect(() => parseEndpoint('external-pooled', 'postgres://a@h:5432')).to.throw(/needs a user, a host and a database/);
    expect(() => parseEndpoint('external-pooled', 'not a url')).to.throw(/is not a URL/);
  });

  it('read the password from a named variable, a file (first line) or PGPASSWORD', () => {
    const dir = tempDir('pc-pw-');
    writeFileSync(path.join(dir, 'pw'), 's3cret:with:colons\nignored\n');
    expect(readPassword({ file: path.join(dir, 'pw') })).to.equal('s3cret:with:colons');
    process.env.PC_TEST_PW = 'from-env';
    expect(readPassword({ env: 'PC_TEST_PW' })).to.equal('from-env');
    delete process.env.PC_TEST_PW;
    expect(() => readPassword({ env: 'PC_TEST_PW' })).to.throw(/PC_TEST_PW is not set/);
    expect(() => readPassword({ env: 'A', file: 'b' })).to.throw(/not both/);
    expect(() => readPassword({ file: path.join(dir, 'missing') })).to.throw(/cannot read .*missing: ENOENT/);
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'pg-env';
    expect(readPassword({})).to.equal('pg-env');
    if (saved === undefined) delete process.env.PGPASSWORD;
    else process.env.PGPASSWORD = saved;
  });
});
