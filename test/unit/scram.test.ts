import { expect } from 'chai';
import { md5Password, scramClient, scramSecret } from '../../harness/wire/scram.ts';

describe('SCRAM-SHA-256 client', () => {
  // RFC 7677 section 3 test vector.
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';

  it('produces the RFC 7677 client proof and accepts the server signature', async () => {
    const c = scramClient('pencil', 'rOprNGfwEbeRWgbNEkqO', 'user');
    expect(c.clientFirst).to.equal('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(await c.respond(serverFirst)).to.equal(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(() => c.verify('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.to.throw();
  });

  it('rejects a forged server signature', async () => {
    const c = scramClient('pencil', 'rOprNGfwEbeRWgbNEkqO', 'user');
    await c.respond(serverFirst);
    expect(() => c.verify('v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).to.throw(/signature/);
  });

  it('rejects a server nonce that does not extend the client nonce', async () => {
    const c = scramClient('pencil', 'abc', 'user');
    let error: unknown;
    await c.respond('r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096').catch((e: unknown) => {
      error = e;
    });
    expect(String(error)).to.match(/nonce/);
  });

  it('sends an empty user name by default (PostgreSQL takes the startup user)', () => {
    expect(scramClient('pw', 'n0nce').clientFirst).to.equal('n,,n=,r=n0nce');
  });
});

describe('SCRAM secret', () => {
  it('is what PostgreSQL stores for the password (RFC 7677 salt; keys computed independently with Python hashlib)', () => {
    expect(scramSecret('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096)).to.equal(
      'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=',
    );
  });
});

describe('md5 password', () => {
  it('is md5(md5(password || user) || salt), computed independently with Python hashlib', () => {
    expect(md5Password('alice', 'secretpw', Buffer.from([1, 2, 3, 4]))).to.equal('md51c32133f2811b9ed4ec031ea397ba262');
  });
});
