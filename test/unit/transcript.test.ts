import { expect } from 'chai';
import { Transcript } from '../../harness/wire/transcript.ts';
import { encode } from '../../harness/wire/frontend-codec.ts';
import { renderBackend, renderFrontend } from '../../harness/wire/messages.ts';

describe('Transcript', () => {
  it('labels pids by first appearance, keeping identity, so two runs diff cleanly', () => {
    const render = (p1: number, p2: number) => {
      const t = new Transcript();
      t.be('a', renderBackend({ type: 'BackendKeyData', pid: p1, key: { hex: '00000063' } }));
      t.pid(p1);
      t.be('b', renderBackend({ type: 'DataRow', values: [String(p2)] }));
      t.pid(p2);
      t.be('a', renderBackend({ type: 'DataRow', values: [String(p1)] }));
      return t.render();
    };
    const one = render(4242, 777);
    expect(one).to.equal(render(1001, 2002));
    expect(one).to.contain('a <= BE BackendKeyData(pid=pid#1, key=<secret>)');
    expect(one).to.contain('b <= BE DataRow(["pid#2"])');
    expect(one).to.contain('a <= BE DataRow(["pid#1"])');
    expect(one).not.to.contain('99');
  });

  it('replaces timestamps and run-specific names', () => {
    const t = new Transcript();
    t.fe('a', renderFrontend({ type: 'Query', sql: 'SELECT now() FROM pcab12_3_seq' }));
    t.be('a', renderBackend({ type: 'DataRow', values: ['2026-11-21 08:01:02.123+00'] }));
    const out = t.render([['pcab12_3_seq', '{{seq}}']]);
    expect(out).to.equal('a FE=> Query("SELECT now() FROM {{seq}}")\na <= BE DataRow(["<timestamp>"])\n');
  });

  it('does not touch numbers that are not pids', () => {
    const t = new Transcript();
    t.pid(12);
    t.be('a', renderBackend({ type: 'CommandComplete', tag: 'SELECT 120' }));
    expect(t.render()).to.contain('SELECT 120');
  });
});

describe('frontend messages', () => {
  it('encodes with the protocol letter first and renders in pgproto style', () => {
    expect(String.fromCharCode(encode({ type: 'Parse', name: 's1', sql: 'SELECT 1' })[0])).to.equal('P');
    expect(String.fromCharCode(encode({ type: 'Sync' })[0])).to.equal('S');
    expect(String.fromCharCode(encode({ type: 'Flush' })[0])).to.equal('H');
    expect(renderFrontend({ type: 'Parse', name: 's1', sql: 'SELECT 1' })).to.equal('Parse(stmt="s1", query="SELECT 1")');
    expect(renderFrontend({ type: 'Bind', statement: 's1', params: ['1', null] })).to.equal('Bind(portal="", stmt="s1", params=["1",null])');
  });
});
