import { expect } from 'chai';
import { selectScenarios } from '../../harness/scenario/catalog.ts';

const origin = { shipped: true, folder: '/x' };
const all = ['cancel/own-running-query', 'cancel/own-idle', 'cancel/stale-key', 'sequences/currval', 'stress/load'].map((id) => ({ id, origin }));
const ids = (globs?: string) => selectScenarios(all, globs).map((s) => s.id);

describe('--scenarios', () => {
  it('leaves out what a !selector names, from the selection or, alone, from the default one', () => {
    expect(ids('cancel,!cancel/own-*')).to.deep.equal(['cancel/stale-key']);
    expect(ids('!cancel')).to.deep.equal(['sequences/currval']);
    expect(ids('cancel, ! cancel/stale-key')).to.deep.equal(['cancel/own-running-query', 'cancel/own-idle']);
  });

  it('keeps the opt-in categories out of the default selection and in when named', () => {
    expect(ids()).to.not.include('stress/load');
    expect(ids('stress,!stress/none')).to.deep.equal(['stress/load']);
  });
});
