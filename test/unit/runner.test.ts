// The runner on fake sessions: outcomes come from what the steps returned or threw (by type),
// never from a server.
import { expect } from 'chai';
import { ConnectionLostError, DeadlineError, ServerError } from '../../harness/kernel/errors.ts';
import { runScenario } from '../../harness/scenario/runner.ts';
import type { MessageLabel, StepSpec } from '../../harness/scenario/model.ts';
import type { ServerMessage } from '../../harness/wire/messages.ts';
import { withSteps } from '../scenario-fixture.ts';
import { fakeContext, rows, sqlError, type FakeScript } from './fake-session.ts';

const run = (steps: StepSpec[], script: FakeScript = {}, extra = {}) => {
  const ctx = fakeContext(script);
  return { ctx, result: runScenario(withSteps(steps, extra), ctx) };
};

describe('the scenario runner (fake sessions)', () => {
  it('passes when every step meets its expectation, with saved values carried between steps', async () => {
    const { ctx, result } = run(
      [
        { session: 'a', sql: 'SELECT 7', save: 'v' },
        { session: 'b', sql: 'SELECT {{$v}}', expect: { rows: [['$v']] } },
      ],
      { answers: { a: { 'SELECT 7': [rows(['7'])] }, b: { 'SELECT 7': [rows(['7'])] } } },
    );
    const r = await result;
    expect(r.outcome).to.equal('pass');
    expect(r.steps.map((s) => s.observed)).to.deep.equal(['rows [["7"]]', 'rows [["7"]]']);
    expect(ctx.driver.sessions.get('b')!.log).to.deep.equal(['SELECT 7']);
    expect([...ctx.driver.sessions.values()].every((s) => s.closed)).to.equal(true);
    expect(ctx.released()).to.equal(1);
  });

  it("compares a connect step's expected messages with the login's", async () => {
    const login: ServerMessage[] = [
      { type: 'NegotiateProtocolVersion', version: 196608, options: ['_pq_.x'] },
      { type: 'AuthenticationOk' },
      { type: 'BackendKeyData', pid: 1, key: { hex: '00000001' } },
      { type: 'ReadyForQuery', status: 'I' },
    ];
    const steps = (messages: MessageLabel[]): StepSpec[] => [{ session: 'a', connect: true, expect: { messages } }];
    const script: FakeScript = { login: { a: login }, capabilities: ['protocol'] };
    expect(
      (await run(steps(['NegotiateProtocolVersion:3.0', 'AuthenticationOk', 'BackendKeyData:4', 'ReadyForQuery:I']), script).result).outcome,
    ).to.equal('pass');
    const r = await run(steps(['AuthenticationOk', 'BackendKeyData', 'ReadyForQuery']), script).result;
    expect(r.outcome).to.equal('diverge');
    expect(r.message).to.match(
      /expected messages AuthenticationOk, BackendKeyData, ReadyForQuery, got no rows \[NegotiateProtocolVersion:3\.0:_pq_\.x, /,
    );
  });

  it('diverges at the step whose rows differ, naming the step and what was expected', async () => {
    const r = await run(
      [
        { session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } },
        { session: 'b', sql: 'SHOW x', expect: { rows: [['0']] } },
      ],
      { answers: { a: { 'SELECT 1': [rows(['1'])] }, b: { 'SHOW x': [rows(['4321s'])] } } },
    ).result;
    expect(r.outcome).to.equal('diverge');
    expect(r.failedStep).to.equal(1);
    expect(r.message).to.equal('step 2 (b: SHOW x): expected rows [["0"]], got rows [["4321s"]]');
  });

  it('fails a step on an unexpected SQLSTATE, and passes one that expects it', async () => {
    const script = { answers: { a: { 'SELECT 1/0': [sqlError('22012')] } } };
    expect((await run([{ session: 'a', sql: 'SELECT 1/0' }], script).result).outcome).to.equal('diverge');
    expect((await run([{ session: 'a', sql: 'SELECT 1/0', expect: { error: '22012' } }], script).result).outcome).to.equal('pass');
  });

  it('takes a connection the server closed, and no answer within the deadline, for behaviour (diverge)', async () => {
    const lost = await run([{ session: 'a', sql: 'SELECT 1' }], {
      answers: { a: { 'SELECT 1': [new ConnectionLostError('a: the server closed the connection', '08P01')] } },
    }).result;
    expect(lost.outcome).to.equal('diverge');
    expect(lost.message).to.equal('step 1 (a: SELECT 1): a: the server closed the connection');
    expect(lost.divergence).to.include({ step: 1, session: 'a', kind: 'closed', sqlstate: '08P01' });
    const late = await run([{ session: 'a', sql: 'SELECT 1' }], {
      answers: { a: { 'SELECT 1': [new DeadlineError('timed out after 200ms waiting for a reply')] } },
    }).result;
    expect(late.outcome).to.equal('diverge');
    expect(late.divergence).to.include({ step: 1, kind: 'no-answer' });
    expect(late.message).to.equal('step 1 (a: SELECT 1): timed out after 200ms waiting for a reply');
  });

  it('reports a pooler that hangs as a divergence at the step that never answered', async () => {
    const r = await run(
      [
        { session: 'a', sql: 'SELECT 1' },
        { session: 'b', sql: 'SELECT 2', timeoutMs: 30 },
      ],
      { answers: { b: { 'SELECT 2': ['hang'] } } },
    ).result;
    expect(r.outcome).to.equal('diverge');
    expect(r.divergence).to.include({ step: 2, session: 'b', kind: 'no-answer' });
    expect(r.message).to.equal('step 2 (b: SELECT 2): timed out after 30ms waiting for b: reply to SELECT 2');
  });

  it('does not tell outcomes by wording: an ordinary error that reads like a lost connection is an error', async () => {
    const r = await run([{ session: 'a', sql: 'SELECT 1' }], { answers: { a: { 'SELECT 1': [new Error('the server closed the connection')] } } })
      .result;
    expect(r.outcome).to.equal('error');
  });

  it('makes every result an error once a server of the target has stopped on its own', async () => {
    const r = await run([{ session: 'a', sql: 'SELECT 1' }], {
      answers: { a: { 'SELECT 1': [new ConnectionLostError('gone')] } },
      targetFailure: 'pgbouncer exited (code 1); see its log',
    }).result;
    expect(r.outcome).to.equal('error');
    expect(r.message).to.contain('pgbouncer exited');
  });

  it("turns a refused login into that step's result, which the step can expect", async () => {
    const refuse = { a: new ServerError('28P01', 'password authentication failed') };
    const expected = await run([{ session: 'a', connect: true, expect: { error: '28P01' } }], { refuse }).result;
    expect(expected.outcome).to.equal('pass');
    const unexpected = await run([{ session: 'a', sql: 'SELECT 1' }], { refuse }).result;
    expect(unexpected.outcome).to.equal('diverge');
    expect(unexpected.message).to.match(/expected success, got ERROR 28P01/);
    // A login expected refused that goes through diverges: the pooler let the client in.
    const admitted = await run([{ session: 'a', connect: true, expect: { error: '28P01' } }]).result;
    expect(admitted.outcome).to.equal('diverge');
    expect(admitted.message).to.equal('step 1 (a: connect): expected ERROR 28P01, got logged in');
    expect(admitted.divergence).to.include({ kind: 'no-error' });
  });

  it('collects a background step where it is awaited', async () => {
    const slow = async () => {
      await new Promise((r) => setTimeout(r, 20));
      return rows(['done']);
    };
    const awaited = await run(
      [
        { session: 'a', sql: 'SELECT slow()', background: 'q' },
        { session: 'b', sql: 'SELECT 2' },
        { session: 'a', await: 'q', expect: { rows: [['done']] } },
      ],
      { answers: { a: { 'SELECT slow()': [slow] } } },
    ).result;
    expect(awaited.outcome).to.equal('pass');
    expect(awaited.steps[0].observed).to.equal('started');
  });

  it('abandons a background step whose session is dropped: nobody awaits it, and the scenario still passes', async () => {
    const { ctx, result } = run(
      [
        { session: 'a', sql: 'SELECT pg_sleep(3)', background: 'q' },
        { session: 'a', disconnect: 'abrupt' },
        { session: 'b', sql: 'SELECT 2' },
      ],
      { answers: { a: { 'SELECT pg_sleep(3)': [new ConnectionLostError('a: the server closed the connection')] } } },
    );
    const r = await result;
    expect(r.outcome, r.message).to.equal('pass');
    expect(ctx.driver.sessions.get('a')?.closed).to.equal(true);
    expect(r.transcript).to.match(/background q abandoned/);
  });

  it('diverges when the observer waits in vain for ground truth, saying what it last saw', async () => {
    const r = await run([{ session: 'observer', waitFor: { sql: 'SELECT count(*) FROM x', rows: [['0']] }, timeoutMs: 50 }], {
      observer: () => [['1']],
    }).result;
    expect(r.outcome).to.equal('diverge');
    expect(r.message).to.match(/observer waited 50ms for \[\["0"\]\], last saw \[\["1"\]\]/);
  });

  it("asks the pooler's console again until the pool's own rows (its database and role) are the ones an admin step waits for, and diverges at the deadline with what it saw", async () => {
    const waiting = ['0', '0', '1'];
    const asked: string[] = [];
    const onPooler = (ctx: ReturnType<typeof fakeContext>) => ({
      ...ctx,
      target: { ...ctx.target, spec: { id: 'pgbouncer:transaction', pooler: 'pgbouncer', mode: 'transaction', settings: {} } },
      lane: {
        ...ctx.lane,
        consoles: {
          single: {
            query: async (c: string) => {
              asked.push(c);
              return [
                { database: 'db', user: 'app', cl_waiting: waiting.shift() ?? '0' },
                { database: 'db', user: 'pc_trust', cl_waiting: '0' },
                { database: 'other', user: 'app', cl_waiting: '0' },
              ];
            },
          },
          wide: { query: async () => [] },
        },
      },
    });
    const step = {
      session: 'observer',
      admin: { pooler: 'pgbouncer', command: 'SHOW POOLS', pool: 'single', columns: ['cl_waiting'], until: [['1']] },
      timeoutMs: 1000,
    } as const;
    const ok = await runScenario(withSteps([step]), onPooler(fakeContext({})));
    expect(ok.outcome).to.equal('pass');
    expect(asked).to.deep.equal(['SHOW POOLS', 'SHOW POOLS', 'SHOW POOLS']);
    expect((ok.transcript ?? '').match(/-- admin console: SHOW POOLS/g)).to.have.length(1);
    const late = await runScenario(withSteps([{ ...step, timeoutMs: 50 }]), onPooler(fakeContext({})));
    expect(late.outcome).to.equal('diverge');
    expect(late.message).to.match(/the admin console waited 50ms for \[\["1"\]\], last saw \[\["0"\]\]/);
    // Direct has no console: nothing to wait for.
    expect((await run([step]).result).outcome).to.equal('pass');
  });

  it('makes a failure of its own observer connection an error, never a finding', async () => {
    const r = await run([{ session: 'observer', sql: 'SELECT 1' }], {
      observer: () => new ConnectionLostError('observer: the server closed the connection'),
    }).result;
    expect(r.outcome).to.equal('error');
    expect(r.message).to.contain("the observer's connection to the database failed");
  });

  it('skips without touching anything when the driver lacks a capability the scenario needs', async () => {
    const { ctx, result } = run([{ session: 'a', named: { name: 's', sql: 'SELECT 1' } }]);
    const r = await result;
    expect(r.outcome).to.equal('skip');
    expect(r.message).to.equal('driver fake lacks namedPrepare');
    expect(ctx.driver.sessions.size).to.equal(0);
  });

  it('reports a failed teardown as an error of a scenario that passed', async () => {
    const r = await run(
      [{ session: 'a', sql: 'SELECT 1' }],
      { observer: (sql) => (sql.startsWith('DROP') ? { sqlstate: '55P03', message: 'relation is locked' } : []) },
      { teardown: ['DROP TABLE t'] },
    ).result;
    expect(r.outcome).to.equal('error');
    expect(r.message).to.equal('teardown "DROP TABLE t" failed: relation is locked');
  });

  it('writes object names back as their templates in messages and transcripts', async () => {
    const r = await run([{ session: 'a', sql: 'SELECT * FROM {{t}}', expect: { rowCount: 1 } }], {}).result;
    expect(r.message).to.match(/SELECT \* FROM \{\{t\}\}/);
    expect(r.transcript).to.contain('step 1: SELECT * FROM {{t}}');
  });

  it('describes a stress step with the clients that ran (--stress-clients), not the count it is written with', async () => {
    // The fake lane's pools refuse every login (port 1): each client is unfinished, which the rows count.
    const ctx = { ...fakeContext({ capabilities: ['protocol'] }, 5_000), overrides: { stressClients: 7 } };
    const scenario = withSteps(
      [{ session: 'a', stress: { clients: 300, rounds: 1, sequence: '{{seq}}' }, expect: { rows: [['clients unfinished', '0', '*']] } }],
      { pool: 'wide', setup: ['CREATE SEQUENCE {{seq}}'] },
    );
    const r = await runScenario(scenario, ctx);
    expect(r.message).to.match(/^step 1 \(a: 7 clients at once, 1 rounds each, every one checking its own session state\): /);
    expect(r.message).to.contain('["clients unfinished","7","of 7"]');
    expect(r.transcript).to.contain('step 1: 7 clients at once').and.not.to.contain('300');
  });
});
