import { expect } from 'chai';
import type { ScenarioSpec } from '../../harness/scenario/model.ts';
import { checkScenario, problemText } from '../../harness/scenario/validate.ts';
import { requiredCapabilities } from '../../harness/scenario/capabilities.ts';
import { loaded } from '../scenario-fixture.ts';

const validateScenario = (s: unknown): readonly string[] => {
  const c = checkScenario(s, 'test');
  return c.ok ? [] : c.problems.map(problemText);
};

const base: ScenarioSpec = {
  id: 'sequences/x',
  category: 'sequences',
  why: 'because',
  pool: 'single',
  sessions: { a: {} },
  steps: [{ session: 'a', sql: 'SELECT 1' }],
};

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
    expect(p).to.match(/^step 1 \(at session\): unknown session "z"/);
    expect(p).to.match(/step 2: a step needs exactly one of .* found sql and cancel/);
    expect(p).to.match(/step 3 \(at sql\): \$v is used before any step saves it/);
    expect(p).to.match(/step 4 \(at await\): await "q" names no earlier background step/);
    expect(p).to.match(/step 5 \(at background\): background step "late" is never awaited/);
  });

  it('takes an admin step on the observer, and never one that saves a value direct cannot give', () => {
    const admin = { session: 'observer', admin: { pooler: 'pgbouncer', command: 'SHOW POOLS', pool: 'single', columns: ['sv_active'] } } as const;
    expect(validateScenario({ ...base, steps: [...base.steps, { ...admin, expect: { rowCount: 1 } }] })).to.deep.equal([]);
    expect(validateScenario({ ...base, steps: [...base.steps, { ...admin, session: 'a' }] }).join('\n')).to.match(/admin runs on the observer/);
    expect(validateScenario({ ...base, steps: [...base.steps, { ...admin, save: 'n' }] }).join('\n')).to.match(/an admin step cannot save a value/);
    expect(
      validateScenario({
        ...base,
        steps: [...base.steps, { session: 'observer', admin: { pooler: 'pgbouncer', command: 'SHOW POOLS', pool: 'middle' } }] as never,
      }).join('\n'),
    ).to.match(/pool/);
  });

  it("keeps each kind's own rules: a session's steps end where it ends, abandonLogin comes first, raw messages say where their reply ends", () => {
    const p = validateScenario({
      ...base,
      sessions: { a: {}, b: {} },
      steps: [
        { session: 'a', sql: 'SELECT pg_sleep(1)', background: 'q' },
        { session: 'a', disconnect: 'terminate' },
        { session: 'a', sql: 'SELECT 1' },
        { session: 'a', await: 'q' },
        { session: 'b', sql: 'SELECT 1' },
        { session: 'b', abandonLogin: true },
        { session: 'b', messages: [{ type: 'Parse', sql: 'SELECT 1' }] },
      ],
    });
    expect(p).to.deep.equal([
      'step 3 (at session): session a is gone by then (disconnected, or its login abandoned)',
      'step 4 (at await): await "q" comes after session a disconnected: its answer is abandoned then (leave the await out)',
      "step 6 (at abandonLogin): abandonLogin must be session b's first step: it is a login given up",
      'step 7 (at messages): a message list without Sync, Query or FunctionCall needs `until` (the reply to wait for)',
      'step 7 (at session): session b is gone by then (disconnected, or its login abandoned)',
    ]);
    // A login given up ends its session as a disconnect does; the background step before a disconnect needs no await.
    const after = validateScenario({
      ...base,
      steps: [
        { session: 'a', abandonLogin: true },
        { session: 'a', sql: 'SELECT 1' },
      ],
    });
    expect(after).to.deep.equal(['step 2 (at session): session a is gone by then (disconnected, or its login abandoned)']);
  });

  it('rejects a missing why, a bad id and an unknown category', () => {
    const p = validateScenario({ ...base, id: 'Bad Id', category: 'nope' as never, why: '' }).join('\n');
    expect(p).to.match(/id "Bad Id"/);
    expect(p).to.match(/category: "nope" is not one of/);
    expect(p).to.match(/why/);
  });

  it('does not take "$user" inside an expected value for a saved-value reference', () => {
    expect(validateScenario({ ...base, steps: [{ session: 'a', sql: 'SHOW search_path', expect: { rows: [['"$user", public']] } }] })).to.deep.equal(
      [],
    );
  });

  it('derives the capabilities a driver needs from the steps', () => {
    const s = loaded({
      ...base,
      steps: [
        { session: 'a', named: { name: 's', sql: 'SELECT 1' }, savePid: 'p' },
        { session: 'a', messages: [{ type: 'Sync' }] },
      ],
    });
    expect([...requiredCapabilities(s)].sort()).to.deep.equal(['backendPid', 'namedPrepare', 'protocol']);
  });

  it('holds a TypeScript scenario to the same schema as a case file', () => {
    const p = validateScenario({
      ...base,
      setpu: ['x'],
      steps: [
        { session: 'a', sql: 'SELECT 1', expct: { rows: [['1']] } },
        { session: 'a', messages: [{ type: 'Prase', sql: 'SELECT 1' }, { type: 'Sync' }] },
        { session: 'a', sql: 'SELECT 1', expect: { rows: [[1.5]] } },
        { session: 'a', sql: 'SELECT 1', timeoutMs: '100' },
      ],
    }).join('\n');
    expect(p).to.match(/setpu: unknown key "setpu"; did you mean "setup"\?/);
    expect(p).to.match(/step 1 \(at expct\): unknown key "expct"; did you mean "expect"\?/);
    expect(p).to.match(/step 2 \(at messages.0.type\): unknown message type "Prase"; did you mean "Parse"\?/);
    expect(p).to.match(/step 3 .*1\.5 is a number YAML does not keep as written: quote it/);
    expect(p).to.match(/step 4 \(at timeoutMs\): expected a whole number/);
  });

  it('takes an optional key written as undefined for an absent one', () => {
    expect(validateScenario({ ...base, needs: undefined, steps: [{ session: 'a', sql: 'SELECT 1', expect: undefined }] })).to.deep.equal([]);
  });

  it('turns whole numbers and booleans in expected rows into the text PostgreSQL sends', () => {
    const c = checkScenario(
      { ...base, steps: [{ session: 'a', sql: 'SELECT 1, true, false, null', expect: { rows: [[1, true, false, null]] } }] },
      'test',
    );
    expect(c.ok && c.scenario.steps[0].expect?.rows).to.deep.equal([['1', 't', 'f', null]]);
  });

  it('names a saved value, a background step and a session that are close to the one meant', () => {
    const p = validateScenario({
      ...base,
      sessions: { alice: {} },
      steps: [
        { session: 'alice', sql: 'SELECT 1', save: 'first' },
        { session: 'alcie', sql: 'SELECT 1' },
        { session: 'alice', sql: 'SELECT 1', expect: { rows: [['$frist']] } },
      ],
    }).join('\n');
    expect(p).to.match(/step 2 \(at session\): unknown session "alcie"; did you mean "alice"\?/);
    expect(p).to.match(/step 3 \(at expect.rows.0.0\): \$frist is used before any step saves it; did you mean "first"\?/);
  });

  it('checks that a known issue names modes its pooler has', () => {
    const known = [{ pooler: 'pgbouncer', modes: ['transacton'], reason: 'r', link: 'https://example.org/1' }];
    expect(validateScenario({ ...base, known }).join('\n')).to.match(
      /known.0.modes.0: pgbouncer has no mode "transacton"; did you mean "transaction"\?/,
    );
    expect(validateScenario({ ...base, known: [{ pooler: 'pgbounce', reason: 'r', link: 'https://example.org/1' }] }).join('\n')).to.match(
      /unknown pooler "pgbounce"; did you mean "pgbouncer"/,
    );
    expect(
      validateScenario({ ...base, known: [{ pooler: 'my-pooler', modes: ['any'], reason: 'r', link: 'https://example.org/1', versions: '<2' }] }),
    ).to.deep.equal([]);
  });

  it('checks the read step, command tags and ParameterStatus pairs, and needs their capabilities', () => {
    const steps = (...st: unknown[]) => validateScenario({ ...base, steps: st });
    expect(steps({ session: 'a', read: 'ReadyForQuery' }, { session: 'a', read: 'close' }, { session: 'a', read: { forMs: 100 } })).to.deep.equal([]);
    expect(steps({ session: 'a', read: 'ReadyForQuer' })[0]).to.match(/did you mean "ReadyForQuery"/);
    expect(steps({ session: 'a', read: { forMS: 100 } })[0]).to.match(/unknown key "forMS"/);
    expect(steps({ session: 'a', sql: 'SET x = 1', expect: { parameterStatusMessages: [['TimeZone']] } })[0]).to.match(/at least 2/);
    expect(steps({ session: 'a', sql: 'SET x = 1', expect: { commandTags: 'SET' } })[0]).to.match(/expected a list/);
    const needs = requiredCapabilities(
      loaded({
        ...base,
        steps: [
          { session: 'a', read: 'close' },
          { session: 'a', sql: 'SET x = 1', expect: { commandTags: ['SET'], parameterStatusMessages: [] } },
        ],
      }),
    );
    expect([...needs].sort()).to.deep.equal(['commandTags', 'parameterStatusLog', 'protocol']);
  });

  it('lets a background step go unawaited when its session is dropped, and refuses an await after that', () => {
    const bg = { session: 'a', sql: 'SELECT pg_sleep(3)', background: 'q' };
    expect(validateScenario({ ...base, steps: [bg, { session: 'a', disconnect: 'abrupt' }] })).to.deep.equal([]);
    expect(validateScenario({ ...base, steps: [bg] })[0]).to.match(/never awaited/);
    expect(validateScenario({ ...base, steps: [bg, { session: 'a', disconnect: 'abrupt' }, { session: 'a', await: 'q' }] })[0]).to.match(
      /after session a disconnected/,
    );
  });
});
