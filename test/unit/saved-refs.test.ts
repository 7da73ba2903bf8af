import { expect } from 'chai';
import type { ScenarioSpec, StepSpec } from '../../harness/scenario/model.ts';
import { STEP_KIND_NAMES, STEP_KINDS } from '../../harness/scenario/step-kinds.ts';
import { checkScenario, problemText } from '../../harness/scenario/validate.ts';

const scenario = (...steps: StepSpec[]): ScenarioSpec => ({
  id: 'session-state/x',
  category: 'session-state',
  why: 'because',
  pool: 'single',
  sessions: { a: {} },
  steps: [{ session: 'a', sql: 'SELECT 1', save: 'v', expect: { rows: [['1']] } }, ...steps],
});
const problems = (s: ScenarioSpec): string[] => {
  const c = checkScenario(s, 'test');
  return c.ok ? [] : c.problems.map(problemText);
};

describe('saved-value references, checked where each step kind reads them', () => {
  it('catch a {{$typo}} in every field a kind expands, not only in SQL', () => {
    const typo: Array<[StepSpec, string]> = [
      [
        { session: 'a', waitNotification: 'ch{{$vv}}', timeoutMs: 100, expect: { notification: null } },
        'step 2 (at waitNotification): $vv is used before any step saves it',
      ],
      [
        { session: 'observer', admin: { pooler: 'pgbouncer', command: 'SHOW {{$vv}}' }, expect: { rowCount: 1 } },
        'step 2 (at admin.command): $vv is used before any step saves it',
      ],
      [{ session: 'a', stress: { clients: 2, rounds: 1, sequence: '{{$vv}}' } }, 'step 2 (at stress.sequence): $vv is used before any step saves it'],
      [{ session: 'observer', waitFor: { sql: 'SELECT {{$vv}}', rows: [['1']] } }, 'step 2 (at waitFor.sql): $vv is used before any step saves it'],
      [{ session: 'observer', waitFor: { sql: 'SELECT 1', rows: [['$vv']] } }, 'step 2 (at waitFor.rows.0.0): $vv is used before any step saves it'],
      [{ session: 'a', cancel: { pid: 'vv', secret: 'own' } }, 'step 2 (at cancel.pid): $vv is used before any step saves it'],
      [{ session: 'a', messages: [{ type: 'Query', sql: 'SELECT {{$vv}}' }] }, 'step 2 (at messages.0.sql): $vv is used before any step saves it'],
      [{ session: 'a', sql: 'SELECT 1', expect: { equals: '$vv' } }, 'step 2 (at expect.equals): $vv is used before any step saves it'],
    ];
    for (const [step, problem] of typo) expect(problems(scenario(step)).join('\n'), JSON.stringify(step)).to.contain(problem);
    expect(problems(scenario({ session: 'a', waitNotification: 'ch{{$v}}', timeoutMs: 100, expect: { notification: null } }))).to.deep.equal([]);
  });

  it('are declared by every step kind, beside its action', () => {
    for (const kind of STEP_KIND_NAMES) expect(STEP_KINDS[kind].savedRefs.text, kind).to.be.an('array');
  });
});
