import { expect } from 'chai';
import { parseTarget, parseTargets } from '../../harness/targets/target-spec.ts';

describe('target specs', () => {
  it("parse <pooler>[:<mode>] and default to the pooler's first mode", () => {
    expect(parseTarget('pgbouncer:transaction')).to.deep.equal({
      id: 'pgbouncer:transaction',
      pooler: 'pgbouncer',
      mode: 'transaction',
      settings: {},
    });
    expect(parseTarget('pgbouncer').id).to.equal('pgbouncer:session');
  });

  it('always put direct first, once', () => {
    expect(parseTargets('pgbouncer:statement,direct,pgbouncer:statement').map((t) => t.id)).to.deep.equal(['direct', 'pgbouncer:statement']);
  });

  it('take pooler settings in braces, as part of the target and its id', () => {
    const t = parseTarget('pgbouncer:transaction{max_prepared_statements=0, server_reset_query_always=1}');
    expect(t).to.deep.equal({
      id: 'pgbouncer:transaction{max_prepared_statements=0,server_reset_query_always=1}',
      pooler: 'pgbouncer',
      mode: 'transaction',
      settings: { max_prepared_statements: '0', server_reset_query_always: '1' },
    });
    expect(parseTargets('pgbouncer:transaction,pgbouncer:transaction{max_prepared_statements=0}').map((x) => x.id)).to.deep.equal([
      'direct',
      'pgbouncer:transaction',
      'pgbouncer:transaction{max_prepared_statements=0}',
    ]);
    expect(() => parseTarget('pgbouncer:transaction{max_prepared_statements}')).to.throw(/bad setting "max_prepared_statements"/);
    expect(() => parseTarget('pgbouncer{a=1}:transaction')).to.throw(/settings go in one pair of braces at the end/);
  });

  it('reject unknown poolers and modes with the valid names', () => {
    expect(() => parseTarget('pgcat')).to.throw(/unknown target "pgcat"; known poolers: direct, pgbouncer/);
    expect(() => parseTarget('pgbouncer:nope')).to.throw(/unknown mode "nope" for pgbouncer; its modes: session, transaction, statement/);
  });
});
