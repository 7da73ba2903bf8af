import { expect } from 'chai';
import { backendsNeeded, STRESS_STATES, tallyRows, type StressTally } from '../../harness/scenario/stress.ts';
import type { Scenario } from '../../harness/scenario/model.ts';
import { manyRolesRows } from '../../harness/scenario/many-roles.ts';
import { kindOf } from '../../harness/scenario/step-kinds.ts';
import { Templates } from '../../harness/scenario/templates.ts';
import type { StepOf } from '../../harness/scenario/model.ts';

describe('the stress tally', () => {
  it('reads as rows: leaks and losses per state, unfinished clients, the leak rate and round-trip percentiles', () => {
    const states = Object.fromEntries(STRESS_STATES.map((s) => [s, { leaked: 0, lost: 0 }])) as StressTally['states'];
    states.setting.leaked = 3;
    states.currval.lost = 2;
    const rows = tallyRows({ clients: 10, finished: 9, checks: 60, states, roundMs: Array.from({ length: 100 }, (_, i) => i + 1) });
    expect(rows.slice(0, STRESS_STATES.length)).to.deep.include.members([
      ['setting', '3', '0'],
      ['currval', '0', '2'],
      ['advisory lock', '0', '0'],
    ]);
    expect(rows.slice(STRESS_STATES.length)).to.deep.equal([
      ['clients unfinished', '1', 'of 10'],
      ['checks, leak rate', '60', '5.00%'],
      ['round ms p50 p95', '51.0', '96.0'],
      ['round ms p99 max', '100.0', '100.0'],
    ]);
  });

  it('asks PostgreSQL for a backend per stress client only when a stress scenario runs', () => {
    const plain = { steps: [{ kind: 'sql', session: 'a', sql: 'SELECT 1' }] } as unknown as Scenario;
    const stress = { steps: [{ kind: 'stress', session: 'load', stress: { clients: 300, rounds: 5, sequence: '{{seq}}' } }] } as unknown as Scenario;
    expect(backendsNeeded([plain], {}, 200)).to.equal(200);
    expect(backendsNeeded([plain, stress], {}, 200)).to.equal(500);
    expect(backendsNeeded([plain, stress], { stressClients: 1000 }, 200)).to.equal(1200);
  });

  it('asks for a backend per role of a many-pools step (the pooler keeps a server per role), --stress-roles overriding', () => {
    const many = { steps: [{ kind: 'manyRoles', session: 'load', manyRoles: { roles: 300, drop: 30, prefix: '{{roles}}' } }] } as unknown as Scenario;
    expect(backendsNeeded([many], {}, 200)).to.equal(500);
    expect(backendsNeeded([many], { stressClients: 1000, stressRoles: 10_000 }, 200)).to.equal(10_200);
  });

  it('describes a many-pools step with the roles that ran (--stress-roles), its drops in proportion', () => {
    const st = { kind: 'manyRoles', session: 'load', manyRoles: { roles: 300, drop: 30, prefix: '{{roles}}' } } as unknown as StepOf<'manyRoles'>;
    const t = new Templates('p', new Map());
    expect(kindOf(st).describe(st, t)).to.match(/^300 roles log in.*; 30 are dropped/);
    expect(kindOf(st).describe(st, t, { stressRoles: 5000 })).to.match(/^5000 roles log in.*; 500 are dropped/);
  });

  it('reads a many-pools tally as rows: failed logins, logins after the drop, login percentiles', () => {
    const rows = manyRolesRows({
      roles: 300,
      loginsFailed: 2,
      remainingFailed: 0,
      remainingTried: 50,
      droppedLetIn: 3,
      droppedTried: 30,
      loginMs: Array.from({ length: 100 }, (_, i) => i + 1),
    });
    expect(rows).to.deep.equal([
      ['logins failed', '2', 'of 300'],
      ['after the drop: remaining roles failed', '0', 'of 50'],
      ['after the drop: dropped roles let in', '3', 'of 30'],
      ['login ms p50 p95', '50.0', '95.0'],
      ['login ms p99 max', '99.0', '100.0'],
    ]);
  });
});
