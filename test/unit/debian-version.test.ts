import { expect } from 'chai';
import { upstreamVersion } from '../../harness/drivers/debian-version.ts';

describe('Debian package versions', () => {
  it('keeps the upstream part: no epoch, Debian revision or repack suffix', () => {
    expect(upstreamVersion('4.15.0-4')).to.equal('4.15.0');
    expect(upstreamVersion('1.4.5-1+b1')).to.equal('1.4.5');
    expect(upstreamVersion('8.2.36-1~deb12u1')).to.equal('8.2.36');
    expect(upstreamVersion('2:1.19~1')).to.equal('1.19~1');
    expect(upstreamVersion('0.66.0+ds1-1')).to.equal('0.66.0');
    expect(upstreamVersion('42.5.5')).to.equal('42.5.5');
  });
});
