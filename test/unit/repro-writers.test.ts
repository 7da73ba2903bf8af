// The writers of `poolcheck repro`, without a server: the case file loads back into the scenario
// it was written from (every scenario of the catalogue), each message kind has its pgproto
// line, and the Node script carries its scenario and parses.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reproId, reproSpec, specOf } from '../../harness/repro/case-spec.ts';
import { caseYaml } from '../../harness/repro/case-yaml.ts';
import { pgprotoFiles, pgprotoString } from '../../harness/repro/pgproto.ts';
import { replayData, replayScript } from '../../harness/repro/replay-script.ts';
import { loadCaseFile } from '../../harness/scenario/case-file.ts';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import type { Scenario, ScenarioSpec, StepKind } from '../../harness/scenario/model.ts';
import { STEP_KINDS } from '../../harness/scenario/step-kinds.ts';
import { checkScenario } from '../../harness/scenario/validate.ts';
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import { tempDir } from '../temp-dir.ts';

const origin = { shipped: false, folder: '/cases' };

const scenario = (spec: Omit<ScenarioSpec, 'id' | 'category' | 'why' | 'pool'> & Partial<ScenarioSpec>): Scenario => {
  const checked = checkScenario({ id: 'protocol-framing/x', category: 'protocol-framing', why: 'a test', pool: 'single', ...spec }, 'x.yaml');
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.scenario;
};

/** A loaded scenario as plain data, without where it was loaded from. */
const asData = (s: Scenario): unknown => {
  const { source: _source, origin: _origin, ...rest } = s;
  return JSON.parse(JSON.stringify(rest));
};

function loadBack(text: string): Scenario {
  const file = path.join(tempDir('pc-repro-yaml-'), 'case.yaml');
  writeFileSync(file, text);
  const { scenarios, broken } = loadCaseFile(file, 'case.yaml', origin);
  expect(broken.flatMap((b) => b.problems)).to.deep.equal([]);
  return scenarios[0];
}

const target = {
  id: 'pgbouncer:transaction',
  pooler: 'pgbouncer',
  mode: 'transaction',
  poolerVersion: '1.18.0',
  postgresVersion: '15.20',
  settings: { server_reset_query_always: '1' },
  effectiveSettings: { max_prepared_statements: '0', server_reset_query_always: '1' },
};

describe('poolcheck repro: the case file', () => {
  it('loads back into the scenario it was written from, for every scenario of the catalogue', async () => {
    const { scenarios } = await loadCatalog();
    expect(scenarios.length).to.be.greaterThan(100);
    for (const s of scenarios) {
      const back = loadBack(caseYaml(specOf(s), ['a header', '', 'with a blank line']));
      expect(asData(back), s.id).to.deep.equal(asData(s));
    }
  });

  it('takes an id of its own, leaves `known` out, and holds every setting the target ran', async () => {
    const s = (await loadCatalog()).scenarios.find((x) => x.id === 'prepared-statements/case-untracked-statement-reaches-next-client')!;
    expect(s.known?.length).to.be.greaterThan(0);
    const spec = reproSpec(s, target);
    expect(spec.id).to.equal('prepared-statements/repro-case-untracked-statement-reaches-next-client');
    expect(spec).not.to.have.property('known');
    expect(spec.poolerSettings).to.deep.equal({ pgbouncer: { max_prepared_statements: '0', server_reset_query_always: '1' } });
    const back = loadBack(caseYaml(spec, ['header']));
    expect(back.id).to.equal(spec.id);
    expect(asData(back)).to.deep.include({ steps: JSON.parse(JSON.stringify(s.steps)), sessions: s.sessions });
    // No pooler, no settings: direct or a profile-only target with none named.
    expect(reproSpec(s, { id: 'direct', pooler: null, poolerVersion: null, postgresVersion: '15' })).to.deep.include({
      poolerSettings: s.poolerSettings,
    });
    expect(reproId({ id: 'sequences/x', category: 'sequences' })).to.equal('sequences/repro-x');
  });

  it('writes the header as comment lines above the scenario, and short steps on one line each', () => {
    const s = scenario({ sessions: { a: {} }, steps: [{ session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } }] });
    const text = caseYaml(specOf(s), ['first line', 'second: with a colon']);
    expect(text.split('\n').slice(0, 2)).to.deep.equal(['# first line', '# second: with a colon']);
    expect(text).to.contain('  - { session: a, sql: SELECT 1, expect: { rows: [ [ "1" ] ] } }');
  });
});

/** The lines of one session's file that are not comments. */
const messageLinesOf = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

function linesFor(messages: FrontendMessage[], extra: Partial<ScenarioSpec> = {}): string[] {
  const s = scenario({ sessions: { a: {} }, steps: [{ session: 'a', messages, until: 'ReadyForQuery' }], ...extra });
  return messageLinesOf(pgprotoFiles({ scenario: s, header: [], functionOids: new Map([['lo_creat(integer)', 957]]) }).get('a.pgproto')!);
}

describe('poolcheck repro: pgproto data files', () => {
  it('write each message kind as pgproto reads it: the type letter quoted, fields tab-separated', () => {
    const one = (m: FrontendMessage) => linesFor([m]).slice(0, -2);
    expect(one({ type: 'Query', sql: 'SELECT 1' })).to.deep.equal(['\'Q\'\t"SELECT 1"']);
    expect(one({ type: 'Parse', name: 's1', sql: 'SELECT $1::int', types: [23] })).to.deep.equal(['\'P\'\t"s1"\t"SELECT $1::int"\t1\t23']);
    expect(one({ type: 'Parse', sql: 'SELECT 1' })).to.deep.equal(['\'P\'\t""\t"SELECT 1"\t0']);
    // Text values without formats: no format codes (all text), each value as its length in bytes and its text; NULL is -1; '' is 0.
    expect(one({ type: 'Bind', portal: 'p', statement: 's1', params: ['42', null, '', 'é'] })).to.deep.equal([
      '\'B\'\t"p"\t"s1"\t0\t4\t2\t"42"\t-1\t0\t2\t"é"\t0',
    ]);
    expect(one({ type: 'Bind', statement: 's1', params: [{ hex: '00000005' }], resultFormats: ['binary', 'text'] })).to.deep.equal([
      '\'B\'\t""\t"s1"\t1\t1\t1\t4\t"5"\t2\t1\t0',
    ]);
    expect(one({ type: 'Describe', kind: 'S', name: 's1' })).to.deep.equal(["'D'\t'S'\t\"s1\""]);
    expect(one({ type: 'Describe', kind: 'P' })).to.deep.equal(["'D'\t'P'\t\"\""]);
    expect(one({ type: 'Execute', portal: 'p', maxRows: 2 })).to.deep.equal(['\'E\'\t"p"\t2']);
    expect(one({ type: 'Close', kind: 'P', name: 'p' })).to.deep.equal(["'C'\t'P'\t\"p\""]);
    expect(one({ type: 'Flush' })).to.deep.equal(["'H'"]);
    expect(one({ type: 'Sync' })).to.deep.equal(["'S'"]);
    expect(one({ type: 'CopyData', data: '1\t2\n' })).to.deep.equal(["'d'\t\"1\\\t2\\", '"']);
    expect(one({ type: 'CopyDone' })).to.deep.equal(["'c'"]);
    expect(one({ type: 'CopyFail', message: 'no' })).to.deep.equal(['\'f\'\t"no"']);
    expect(one({ type: 'FunctionCall', function: 'lo_creat(integer)', args: ['-1'] })).to.deep.equal(['\'F\'\t957\t0\t1\t2\t"-1"\t0']);
    expect(one({ type: 'FunctionCall', function: 764, args: [], resultFormat: 'binary' })).to.deep.equal(["'F'\t764\t0\t0\t1"]);
  });

  it('escape what ends a field or a line with a backslash, so the text arrives as written', () => {
    expect(pgprotoString('say "hi"\\')).to.equal('"say \\"hi\\"\\\\"');
    expect(pgprotoString('a\tb')).to.equal('"a\\\tb"');
    // A line break becomes a backslash at the end of the line: pgproto reads the next line on.
    expect(pgprotoString('SELECT 1\nFROM t')).to.equal('"SELECT 1\\\nFROM t"');
  });

  it('wait for each ReadyForQuery PostgreSQL owes, as the step expects it, or read until quiet after a Flush', () => {
    const s = scenario({
      sessions: { a: {} },
      steps: [
        {
          session: 'a',
          messages: [{ type: 'Parse', sql: 'SELEC' }, { type: 'Query', sql: 'SELECT 1' }, { type: 'Sync' }],
          expect: { messages: ['ErrorResponse:42601', 'ReadyForQuery:I'] },
        },
        { session: 'a', messages: [{ type: 'Parse', sql: 'SELECT 1' }, { type: 'Flush' }], until: 'ParseComplete' },
        {
          session: 'a',
          messages: [
            { type: 'Query', sql: 'SELECT 1' },
            { type: 'Query', sql: 'SELECT 2' },
          ],
        },
      ],
    });
    const lines = messageLinesOf(pgprotoFiles({ scenario: s, header: [], functionOids: new Map() }).get('a.pgproto')!);
    expect(lines).to.deep.equal([
      '\'P\'\t""\t"SELEC"\t0',
      '\'Q\'\t"SELECT 1"',
      "'S'",
      "'Y'",
      '\'P\'\t""\t"SELECT 1"\t0',
      "'H'",
      "'y'",
      '\'Q\'\t"SELECT 1"',
      '\'Q\'\t"SELECT 2"',
      "'Y'",
      "'Y'",
      "'X'",
    ]);
  });

  it('turn SQL, named statements and parameters into what the raw driver sends', () => {
    const s = scenario({
      setup: ['CREATE SEQUENCE {{seq}}'],
      sessions: { a: {}, b: {} },
      steps: [
        { session: 'a', sql: "SELECT nextval('{{seq}}')", save: 'v' },
        { session: 'b', sql: 'SELECT $1::int', params: ['{{$v}}'], expect: { rows: [['$v']] } },
        { session: 'a', named: { name: 'st', sql: 'SELECT 1' } },
        { session: 'a', named: { name: 'st', sql: 'SELECT 1' } },
        { session: 'observer', sql: 'SELECT 1', expect: { rows: [['1']] } },
        { session: 'a', disconnect: 'terminate' },
      ],
    });
    const files = pgprotoFiles({ scenario: s, header: ['the header'], functionOids: new Map() });
    expect([...files.keys()]).to.deep.equal(['a.pgproto', 'b.pgproto', 'observer.pgproto']);
    const a = files.get('a.pgproto')!;
    expect(a.split('\n')[0]).to.equal('# the header');
    expect(messageLinesOf(a)).to.deep.equal([
      "'Q'\t\"SELECT nextval('repro_seq')\"",
      "'Y'",
      '\'P\'\t"st"\t"SELECT 1"\t0',
      '\'B\'\t""\t"st"\t0\t0\t0',
      "'D'\t'P'\t\"\"",
      '\'E\'\t""\t0',
      "'S'",
      "'Y'",
      '\'B\'\t""\t"st"\t0\t0\t0',
      "'D'\t'P'\t\"\"",
      '\'E\'\t""\t0',
      "'S'",
      "'Y'",
      "'X'",
    ]);
    // Where the other session's step comes between, and the saved value to write in.
    expect(a).to.contain('# meanwhile step 2 (b): SELECT $1::int ["{{$v}}"]');
    const b = files.get('b.pgproto')!;
    expect(b).to.contain('# before its first step: step 1 on a');
    expect(b).to.contain('# {{$v}} is the value step 1 (a) saved: write it in before running');
    expect(messageLinesOf(b)).to.deep.equal([
      '\'P\'\t""\t"SELECT $1::int"\t0',
      '\'B\'\t""\t""\t0\t1\t6\t"{{$v}}"\t0',
      "'D'\t'P'\t\"\"",
      '\'E\'\t""\t0',
      "'S'",
      "'Y'",
      "'X'",
    ]);
    expect(messageLinesOf(files.get('observer.pgproto')!)).to.deep.equal([
      '\'Q\'\t"CREATE SEQUENCE repro_seq"',
      "'Y'",
      '\'Q\'\t"SELECT 1"',
      "'Y'",
      "'X'",
    ]);
  });

  it("read a background step's reply at its await, and leave what pgproto cannot send as comments", () => {
    const s = scenario({
      pool: 'wide',
      sessions: { a: {} },
      steps: [
        { session: 'a', sql: 'SELECT pg_sleep(1)', background: 'q' },
        { session: 'a', cancel: true },
        { session: 'a', await: 'q', expect: { error: '57014' } },
        { session: 'a', messages: [{ type: 'RawMessage', code: 'y' }], until: 'close' },
      ],
    });
    const a = pgprotoFiles({ scenario: s, header: [], functionOids: new Map() }).get('a.pgproto')!;
    expect(messageLinesOf(a)).to.deep.equal(['\'Q\'\t"SELECT pg_sleep(1)"', "'Y'", "'X'"]);
    expect(a).to.contain('# sends a CancelRequest on a connection of its own, which pgproto cannot do');
    expect(a).to.contain('# not sent: pgproto sends well-formed messages of the types it knows only; the step sends:');
    expect(a).to.contain('#   RawMessage(code="y", payload="")');
    // A binary value other than a 4-byte integer, a long line: the whole step is a comment, with no wait.
    expect(linesFor([{ type: 'Bind', params: [{ hex: '0000000000000005' }] }, { type: 'Sync' }])).to.deep.equal(["'X'"]);
    expect(linesFor([{ type: 'Query', sql: `SELECT '${'x'.repeat(9000)}'` }])).to.deep.equal(["'X'"]);
  });

  it('end the file where the session disconnects abruptly, without Terminate', () => {
    const s = scenario({
      sessions: { a: {} },
      steps: [
        { session: 'a', sql: 'SELECT 1' },
        { session: 'a', disconnect: 'abrupt' },
      ],
    });
    expect(messageLinesOf(pgprotoFiles({ scenario: s, header: [], functionOids: new Map() }).get('a.pgproto')!)).to.deep.equal([
      '\'Q\'\t"SELECT 1"',
      "'Y'",
    ]);
  });
});

describe('poolcheck repro: the Node script', () => {
  const template = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../harness/repro/replay-script.mjs');

  it('carries its scenario as data, parses, and refuses a password in a URL', () => {
    const s = scenario({ sessions: { a: {} }, steps: [{ session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } }] });
    const text = replayScript(replayData(specOf(s), s), ['line one', 'line two']);
    expect(text.split('\n').slice(0, 2)).to.deep.equal(['// line one', '// line two']);
    expect(text).to.contain('"sql": "SELECT 1"');
    expect(text).not.to.contain('/*@scenario*/');
    const file = path.join(tempDir('pc-repro-script-'), 'repro.mjs');
    writeFileSync(file, text);
    expect(spawnSync(process.execPath, ['--check', file]).status).to.equal(0);
    const withPassword = spawnSync(process.execPath, [file, 'postgres://u:s3cr3t-xyz@127.0.0.1:1/db', 'postgres://u@127.0.0.1:2/db'], {
      encoding: 'utf8',
    });
    expect(withPassword.status).to.equal(2);
    expect(withPassword.stderr).to.contain('holds a password: give it in PGPASSWORD');
    expect(withPassword.stderr).not.to.contain('s3cr3t-xyz');
    expect(spawnSync(process.execPath, [file], { encoding: 'utf8' }).stderr).to.contain('usage: PGPASSWORD=... node repro.mjs DIRECT_URL POOLED_URL');
  });

  it('replays every step kind where poolcheck runs it, or says why poolcheck does not let it', async () => {
    const { REPLAYED } = (await import(template)) as { REPLAYED: Readonly<Record<'session' | 'name' | 'observer', readonly string[]>> };
    const missing = (Object.keys(STEP_KINDS) as StepKind[]).flatMap((k) => {
      const def = STEP_KINDS[k];
      if (def.notReplayed) return [];
      const where = [def.on, ...(def.on === 'session' && 'observe' in def ? (['observer'] as const) : [])];
      return where.filter((on) => !REPLAYED[on].includes(k)).map((on) => `${k} on the ${on}`);
    });
    expect(missing, 'implement these in replay-script.mjs, or give the kind a notReplayed reason in step-kinds.ts').to.deep.equal([]);
  });

  it('carries each step with its kind and its words, and why a kind is not replayed', () => {
    const s = scenario({
      pool: 'wide',
      sessions: { a: {}, b: {}, c: {} },
      steps: [
        { session: 'b', abandonLogin: true },
        { session: 'a', sql: 'SELECT 1', savePid: 'pa' },
        { session: 'a', sql: 'SELECT pg_sleep(1) /* {{m}} */', background: 'q' },
        { session: 'a', cancel: { pid: '$pa', secret: 'own', hangUp: true } },
        { session: 'a', await: 'q', expect: { error: '57014' } },
        { session: 'c', manyRoles: { roles: 3, drop: 1, prefix: '{{roles}}' } },
      ],
    });
    const data = replayData(specOf(s), s);
    expect(data.steps.map((st) => st.kind)).to.deep.equal(['abandonLogin', 'sql', 'sql', 'cancel', 'await', 'manyRoles']);
    expect(data.steps.map((st) => st.described)).to.deep.equal([
      'start a login, then drop the socket when asked for credentials',
      'SELECT 1',
      'SELECT pg_sleep(1) /* {{m}} */',
      'CancelRequest for $pa with own secret, its connection closed at once',
      'await q',
      '3 roles log in, each a pool of its own; 1 are dropped, then new logins',
    ]);
    expect(Object.keys(data.notReplayed).sort()).to.deep.equal(['admin', 'manyRoles', 'stress']);
    const file = path.join(tempDir('pc-repro-kinds-'), 'repro.mjs');
    writeFileSync(file, replayScript(data, []));
    expect(spawnSync(process.execPath, ['--check', file]).status).to.equal(0);
  });

  it('says what the scenario needs that the raw client lacks', () => {
    const s = scenario({ needs: ['driverPrepares'], sessions: { a: {} }, steps: [{ session: 'a', sql: 'SELECT 1', expect: { rows: [['1']] } }] });
    expect(replayData(specOf(s), s).rawLacks).to.deep.equal(['driverPrepares']);
  });

  it('is a template that runs nothing and defines no case where it lies', async () => {
    const run = spawnSync(process.execPath, [template, 'postgres://u@127.0.0.1:1/db', 'postgres://u@127.0.0.1:2/db'], { encoding: 'utf8' });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.contain('this is the template');
    // A case folder's loader imports it as a module: no case, nothing run.
    expect(((await import(template)) as { default: unknown }).default).to.deep.equal([]);
  });
});
