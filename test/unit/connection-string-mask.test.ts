import { expect } from 'chai';
import { maskConnectionStrings } from '../../harness/kernel/connection-string-mask.ts';
import { redaction } from '../../harness/report/redact.ts';
import { parseEndpoint } from '../../harness/targets/providers/external-url.ts';

const refused = (url: string) => {
  try {
    parseEndpoint('external-pooled', url);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('passwords in connection strings', () => {
  it('are masked in every form a connection string takes', () => {
    const cases: Array<[string, string]> = [
      ['postgres://app:PW1@db:5432/x', 'postgres://app:<redacted>@db:5432/x'],
      ['postgresql://app:P%40W%3A2@db/x', 'postgresql://app:<redacted>@db/x'],
      ['postgres://app:P/W@3@db/x', 'postgres://app:<redacted>@db/x'],
      ['jdbc:postgresql://db/x?user=app&password=PW4&ssl=true', 'jdbc:postgresql://db/x?user=app&password=<redacted>&ssl=true'],
      ['postgres://db/x?sslpassword=PW5', 'postgres://db/x?sslpassword=<redacted>'],
      ['postgres://db/x?pass%77ord=PW6', 'postgres://db/x?pass%77ord=<redacted>'],
      ['host=db port=5432 password=PW7 dbname=x', 'host=db port=5432 password=<redacted> dbname=x'],
      ['host=db password = PW8', 'host=db password = <redacted>'],
      ["host=db password='P W9' dbname=x", 'host=db password=<redacted> dbname=x'],
      ["host=db password='it\\'s PW10' dbname=x", 'host=db password=<redacted> dbname=x'],
      ['host=db password=P\\ W11 dbname=x', 'host=db password=<redacted> dbname=x'],
      ["password='never closed PW12", 'password=<redacted>'],
      ['dsn=host%3Ddb%20password%3DPW13%20dbname%3Dx', 'dsn=host%3Ddb%20password%3D<redacted>%20dbname%3Dx'],
      ['PGPASSWORD=PW14 psql', 'PGPASSWORD=<redacted> psql'],
      ['{"host":"db","password":"PW\\"15"}', '{"host":"db","password":"<redacted>"}'],
      ["{'user': 'app', 'password': 'PW16'}", "{'user': 'app', 'password': '<redacted>'}"],
      ['a FE=> PasswordMessage("PW17")', 'a FE=> PasswordMessage("<redacted>")'],
    ];
    for (const [text, masked] of cases) expect(maskConnectionStrings(text), text).to.equal(masked);
  });

  it('leave what is no password alone', () => {
    for (const text of [
      'postgres://app@db:5432/x',
      'https://www.pgbouncer.org/config.html?tab=1#auth',
      "SET password_encryption = 'md5'",
      "ALTER ROLE app PASSWORD 'x'",
      'a session with a wrong password',
      'Legend: pass = behaves like PostgreSQL; pwd = here',
      'a FE=> PasswordMessage(<hidden>)',
      'max_prepared_statements=0',
    ])
      expect(maskConnectionStrings(text), text).to.equal(text);
  });

  it('are never echoed when one is given where a URL is expected', () => {
    for (const text of [
      'host=db port=5432 user=app password=PW-1 dbname=x',
      "host=db password='P W-2' dbname=x",
      'postgres://app:P W-3@db/x',
      'db:5432/x?password=PW-4',
    ]) {
      const message = refused(text);
      expect(message, text).to.match(/^--external-pooled: /);
      expect(message, text).not.to.match(/PW|P W/);
    }
    expect(refused('host=db user=app password=PW-1 dbname=x')).to.contain('"host=db user=app password=<redacted> dbname=x" is not a URL');
  });

  it('are masked in every report text, whatever the run knew of them', () => {
    expect(redaction([]).anywhere('driver said: connection to "host=db password=PW dbname=x" failed')).to.equal(
      'driver said: connection to "host=db password=<redacted> dbname=x" failed',
    );
  });
});
