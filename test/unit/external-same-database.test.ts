import { expect } from 'chai';
import { differences, type Landing } from '../../harness/targets/providers/external-same-database.ts';

describe('external routes: the single pool reaches what the pooled one does', () => {
  const at = (over: Partial<Landing> = {}): Landing => ({ database: 'appdb', role: 'app', system: '7401', ...over });

  it('finds nothing to say about the same database, role and server', () => {
    expect(differences(at(), at())).to.deep.equal([]);
  });

  it('names each difference: database, role, server', () => {
    expect(differences(at({ database: 'other', role: 'admin', system: '9' }), at())).to.deep.equal([
      'database other against appdb',
      'role admin against app',
      'server (system identifier) 9 against 7401',
    ]);
  });

  it('leaves the server out where a route may not read its identifier', () => {
    expect(differences(at({ system: null }), at({ system: '9' }))).to.deep.equal([]);
  });
});
