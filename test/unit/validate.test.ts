import { expect } from 'chai';
import type { ScenarioSpec } from '../../harness/scenario/model.ts';
import { checkScenario } from '../../harness/scenario/validate.ts';
import { requiredCapabilities } from '../../harness/scenario/capabilities.ts';
import { loaded } from '../scenario-fixture.ts';

const validateScenario = (s: ScenarioSpec): readonly string[] => { const c = checkScenario(s, 'test'); return c.ok ? [] : c.problems; };

const base: ScenarioSpec = { id: 'sequences/x', category: 'sequences', why: 'because', pool: 'single', sessions: { a: {} }, steps: [{ session: 'a', sql: 'SELECT 1' }] };

describe('scenario validation', () => {
  it('accepts a well-formed scenario', () => {
    expect(validateScenario(base)).to.deep.equal([]);
  });

  it('names the step and the problem', () => {
    const bad: ScenarioSpec = {
      ...base,
      steps: [
        { session: 'z', sql: 'SELECT 1' },
        { session: 'a', sql: 'SELECT 1', cancel: true } as never,
        { session: 'a', sql: 'SELECT {{$v}}' },
        { session: 'a', await: 'q' },
        { session: 'a', sql: 'SELECT 2', background: 'late' },
      ],
    };
    const p = validateScenario(bad).join('\n');
    expect(p).to.match(/step 1: unknown session "z"/);
    expect(p).to.match(/step 2: a step needs exactly one action .* found sql and cancel/);
    expect(p).to.match(/step 3: \$v is used before any step saves it/);
    expect(p).to.match(/step 4: await "q" names no earlier background step/);
    expect(p).to.match(/background step "late" is never awaited/);
  });

  it('rejects a missing why, a bad id and an unknown category', () => {
    const p = validateScenario({ ...base, id: 'Bad Id', category: 'nope' as never, why: '' }).join('\n');
    expect(p).to.match(/id "Bad Id"/);
    expect(p).to.match(/category "nope"/);
    expect(p).to.match(/why/);
  });

  it('does not take "$user" inside an expected value for a saved-value reference', () => {
    expect(validateScenario({ ...base, steps: [{ session: 'a', sql: 'SHOW search_path', expect: { rows: [['"$user", public']] } }] })).to.deep.equal([]);
  });

  it('derives the capabilities a driver needs from the steps', () => {
    const s = loaded({ ...base, steps: [{ session: 'a', named: { name: 's', sql: 'SELECT 1' }, savePid: 'p' }, { session: 'a', messages: [{ type: 'Sync' }] }] });
    expect([...requiredCapabilities(s)].sort()).to.deep.equal(['backendPid', 'namedPrepare', 'protocol']);
  });
});
