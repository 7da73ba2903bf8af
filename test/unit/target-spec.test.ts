import { expect } from 'chai';
import { parseTarget, parseTargets } from '../../harness/targets/target-spec.ts';

describe('target specs', () => {
  it('parse <pooler>[:<mode>] and default to the pooler\'s first mode', () => {
    expect(parseTarget('pgbouncer:transaction')).to.deep.equal({ id: 'pgbouncer:transaction', pooler: 'pgbouncer', mode: 'transaction' });
    expect(parseTarget('pgbouncer').id).to.equal('pgbouncer:session');
  });

  it('always put direct first, once', () => {
    expect(parseTargets('pgbouncer:statement,direct,pgbouncer:statement').map((t) => t.id)).to.deep.equal(['direct', 'pgbouncer:statement']);
  });

  it('reject unknown poolers and modes with the valid names', () => {
    expect(() => parseTarget('pgcat')).to.throw(/unknown target "pgcat"; known poolers: direct, pgbouncer/);
    expect(() => parseTarget('pgbouncer:nope')).to.throw(/unknown mode "nope" for pgbouncer; its modes: session, transaction, statement/);
  });
});
