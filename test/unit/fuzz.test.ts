// poolcheck fuzz without servers: the generator's programs per seed, their expectations from
// recorded answers, the signature and documented class of a divergence, and the shrinker on a
// fake runner that diverges where a SET of one client meets a SHOW of another.
import { expect } from 'chai';
import type { Divergence } from '../../harness/kernel/divergence.ts';
import { createJudge } from '../../harness/report/judge.ts';
import { generateProgram, programId } from '../../harness/fuzz/generator.ts';
import { withAnswers, withoutAnswers } from '../../harness/fuzz/program-scenario.ts';
import { shrink, wellFormed } from '../../harness/fuzz/shrink.ts';
import { actionFamily, documentingEntry, REPRESENTATIVES, signatureOf, signatureText } from '../../harness/fuzz/signature.ts';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import type { ScenarioSpec, StepSpec } from '../../harness/scenario/model.ts';
import { checkScenario } from '../../harness/scenario/validate.ts';
import { parseTarget } from '../../harness/targets/target-spec.ts';
import { targetFacts } from '../../harness/targets/target-settings.ts';

describe('poolcheck fuzz: the generator', () => {
  it('gives the same program for the same seed and index, and others for others', () => {
    expect(generateProgram('42', 3)).to.deep.equal(generateProgram('42', 3));
    expect(JSON.stringify(generateProgram('42', 3))).to.not.equal(JSON.stringify(generateProgram('42', 4)));
    expect(JSON.stringify(generateProgram('42', 3))).to.not.equal(JSON.stringify(generateProgram('43', 3)));
    expect(programId('Nightly 2026/12', 7)).to.equal('session-state/fuzz-nightly-2026-12-7');
  });

  it('writes programs that load as scenarios, with two or three clients of the single pool that never wait for each other', () => {
    for (let i = 0; i < 200; i++) {
      const p = generateProgram('unit', i);
      const checked = checkScenario(p, p.id);
      expect(checked.ok, `${p.id}: ${JSON.stringify(checked.ok ? '' : checked.problems)}`).to.equal(true);
      expect(p.pool).to.equal('single');
      const clients = Object.keys(p.sessions).filter((s) => /^[abc]$/.test(s));
      expect(clients.length, p.id).to.be.within(1, 3);
      expect(wellFormed(p.steps), `${p.id}: ${JSON.stringify(p.steps)}`).to.equal(true);
      expect(
        p.steps.every((st) => !st.expect),
        p.id,
      ).to.equal(true);
    }
  });
});

describe('poolcheck fuzz: the generator and the driver', () => {
  it('writes raw message lists and named statements only for a driver that sends them', () => {
    const all = Array.from({ length: 200 }, (_, i) => generateProgram('caps', i));
    expect(all.some((p) => p.steps.some((st) => st.messages !== undefined))).to.equal(true);
    expect(all.some((p) => p.steps.some((st) => st.named !== undefined))).to.equal(true);
    const plain = Array.from({ length: 200 }, (_, i) => generateProgram('caps', i, { namedPrepare: false, protocol: false }));
    expect(plain.some((p) => p.steps.some((st) => st.messages !== undefined || st.named !== undefined))).to.equal(false);
  });
});

describe('poolcheck fuzz: answers as expectations', () => {
  it("turns each recorded answer into its step's expectation", () => {
    const program: ScenarioSpec = {
      id: 'session-state/fuzz-x-1',
      category: 'session-state',
      why: 'x',
      pool: 'single',
      sessions: { a: {} },
      steps: [
        { session: 'a', sql: 'SHOW work_mem' },
        { session: 'a', sql: 'SELECT 1/0' },
        { session: 'a', waitNotification: 'ch' },
        { session: 'a', disconnect: 'terminate' },
      ],
    };
    const answered = withAnswers(
      program,
      new Map([
        [0, { kind: 'query', result: { rows: [['4MB']], columns: ['work_mem'] } }],
        [1, { kind: 'query', result: { rows: [], columns: [], error: { code: '22012', message: 'division by zero' } } }],
        [2, { kind: 'notification', notification: undefined }],
        [3, { kind: 'done' }],
      ]),
    );
    expect(answered.steps.map((st) => st.expect)).to.deep.equal([{ rows: [['4MB']] }, { error: '22012' }, { notification: null }, undefined]);
    expect(withoutAnswers(answered)).to.deep.equal(program);
  });

  it("expects a raw message list's replies by name, an error with its SQLSTATE, beside its rows", () => {
    const program: ScenarioSpec = {
      id: 'session-state/fuzz-x-2',
      category: 'session-state',
      why: 'x',
      pool: 'single',
      sessions: { a: {} },
      steps: [
        {
          session: 'a',
          messages: [{ type: 'Bind', statement: 'ps1', params: [], portal: '' }, { type: 'Execute', portal: '', maxRows: 0 }, { type: 'Sync' }],
        },
      ],
    };
    const answered = withAnswers(
      program,
      new Map([
        [
          0,
          {
            kind: 'query',
            result: { rows: [], columns: [], error: { code: '26000', message: 'no such statement' } },
            messages: [
              { type: 'NoticeResponse', code: '01000', message: 'aside' },
              { type: 'ErrorResponse', code: '26000', message: 'no such statement' },
              { type: 'ReadyForQuery', status: 'I' },
            ],
          } as never,
        ],
      ]),
    );
    expect(answered.steps[0].expect).to.deep.equal({ messages: ['ErrorResponse:26000', 'ReadyForQuery:I'], rows: [] });
  });
});

describe('poolcheck fuzz: signatures and documented classes', () => {
  const steps: StepSpec[] = [
    { session: 'a', sql: "SET statement_timeout = '4321s'" },
    { session: 'b', sql: 'SHOW statement_timeout' },
    { session: 'b', sql: 'EXECUTE p1' },
    { session: 'b', sql: "SELECT pg_try_advisory_lock(hashtext('{{lk1}}'))" },
    { session: 'b', named: { name: 's1', sql: 'SELECT 1' } },
    { session: 'b', sql: 'SELECT 1/0' },
  ];
  const at = (step: number, kind: Divergence['kind'], sqlstate?: string): Divergence => ({
    step,
    session: 'b',
    kind,
    expected: 'e',
    observed: 'o',
    ...(sqlstate ? { sqlstate } : {}),
  });

  it("names a divergence by kind, the family of the step's action and the SQLSTATE", () => {
    expect(steps.map((st) => actionFamily(st))).to.deep.equal(['setting', 'setting', 'sql-prepared', 'advisory-lock', 'protocol-prepared', 'error']);
    expect(actionFamily({ session: 'a', sql: 'SET search_path = public, pg_temp' })).to.equal('setting');
    expect(actionFamily({ session: 'a', sql: 'INSERT INTO fz_t1 VALUES (1)' })).to.equal('temp-table');
    expect(actionFamily({ session: 'a', sql: 'DECLARE c1 CURSOR WITH HOLD FOR SELECT 1' })).to.equal('cursor');
    expect(signatureText(signatureOf(at(2, 'rows'), steps))).to.equal('rows:setting');
    expect(signatureText(signatureOf(at(5, 'error', '42P05'), steps))).to.equal('error:protocol-prepared:42P05');
  });

  it('counts a divergence as documented where the profile documents it for a catalogue scenario of the same family', () => {
    const judge = createJudge([], []);
    const on = (target: string) => {
      const spec = parseTarget(target);
      const t = { spec, facts: targetFacts(spec, '1.18.0', '15.20') };
      return (scenario: string, alike: readonly Divergence[]) => judge.documenting(scenario, t, 'raw', alike);
    };
    const ctx = on('pgbouncer:transaction');
    expect(documentingEntry(at(2, 'rows'), steps, ctx)?.reason).to.match(/SET\/RESET "Never"/);
    expect(documentingEntry(at(3, 'no-error'), steps, ctx)?.reason).to.match(/PREPARE \/ DEALLOCATE/);
    expect(documentingEntry(at(4, 'rows'), steps, ctx)?.reason).to.match(/advisory locks/);
    expect(documentingEntry(at(5, 'error', '42P05'), steps, ctx)?.reason).to.match(/protocol-level prepared plans/);
    // No entry says so: a new divergence.
    expect(documentingEntry(at(6, 'no-error'), steps, ctx)).to.equal(undefined);
    expect(documentingEntry(at(2, 'notices'), steps, ctx)).to.equal(undefined);
    // Session pooling documents none of these.
    expect(documentingEntry(at(2, 'rows'), steps, on('pgbouncer:session'))).to.equal(undefined);
  });

  it('takes its documented classes from scenarios the catalogue has', async function () {
    this.timeout(60_000);
    const ids = new Set((await loadCatalog()).scenarios.map((s) => s.id));
    expect(
      Object.values(REPRESENTATIVES)
        .flat()
        .filter((id) => !ids.has(id)),
    ).to.deep.equal([]);
  });
});

describe('poolcheck fuzz: the shrinker', () => {
  const program = (steps: StepSpec[]): ScenarioSpec => ({
    id: 'session-state/fuzz-s-1',
    category: 'session-state',
    why: 'x',
    pool: 'single',
    setup: ['CREATE SEQUENCE {{sq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{sq}}'],
    sessions: { a: {}, b: {}, c: {} },
    steps,
  });
  /** Diverges at b's first SHOW work_mem after a's SET work_mem, as a transaction pooler would. */
  const fake = (tried: ScenarioSpec[]) => async (p: ScenarioSpec) => {
    tried.push(p);
    const set = p.steps.findIndex((st) => st.session === 'a' && st.sql?.startsWith('SET work_mem'));
    const show = p.steps.findIndex((st, i) => i > set && st.session === 'b' && st.sql === 'SHOW work_mem');
    return set >= 0 && show >= 0 ? { step: show + 1 } : undefined;
  };
  const steps: StepSpec[] = [
    { session: 'c', sql: "SELECT nextval('{{sq}}')" },
    { session: 'a', sql: 'BEGIN' },
    { session: 'a', sql: 'SHOW work_mem' },
    { session: 'a', sql: 'COMMIT' },
    { session: 'a', sql: "SET work_mem = '8MB'" },
    { session: 'c', sql: 'SHOW DateStyle' },
    { session: 'b', sql: 'SELECT 1/0' },
    { session: 'b', sql: 'SHOW work_mem' },
    { session: 'c', sql: 'DISCARD ALL' },
    { session: 'b', sql: 'SHOW work_mem' },
  ];

  it('cuts a diverging program to the steps the divergence needs, and the sessions and setup they use', async () => {
    const tried: ScenarioSpec[] = [];
    const small = await shrink(program(steps), fake(tried), { divergedAt: 8 });
    expect(small.steps).to.deep.equal([
      { session: 'a', sql: "SET work_mem = '8MB'" },
      { session: 'b', sql: 'SHOW work_mem' },
    ]);
    expect(Object.keys(small.sessions)).to.deep.equal(['a', 'b']);
    expect(small.setup).to.equal(undefined);
    expect(small.teardown).to.equal(undefined);
    // Never a candidate a pool of one server could not run.
    expect(tried.every((p) => wellFormed(p.steps))).to.equal(true);
  });

  it('never tries a candidate in which a client acts while another holds a transaction open, or after it left', () => {
    expect(
      wellFormed([
        { session: 'a', sql: 'BEGIN' },
        { session: 'b', sql: 'SELECT 1' },
        { session: 'a', sql: 'COMMIT' },
      ]),
    ).to.equal(false);
    expect(
      wellFormed([
        { session: 'a', sql: 'BEGIN' },
        { session: 'observer', sql: 'SELECT 1' },
        { session: 'a', sql: 'ROLLBACK TO SAVEPOINT s' },
        { session: 'a', sql: 'ROLLBACK' },
        { session: 'b', sql: 'SELECT 1' },
      ]),
    ).to.equal(true);
    expect(
      wellFormed([
        { session: 'a', disconnect: 'terminate' },
        { session: 'a', sql: 'SELECT 1' },
      ]),
    ).to.equal(false);
    expect(wellFormed([{ session: 'observer', sql: 'SELECT 1' }])).to.equal(false);
  });

  it('stops when told, keeping the smallest program found so far', async () => {
    let calls = 0;
    const small = await shrink(
      program(steps),
      async (p) => {
        calls++;
        return fake([])(p);
      },
      { stop: () => calls >= 1 },
    );
    expect(calls).to.equal(1);
    expect(small.steps.length).to.be.lessThan(steps.length);
  });
});
