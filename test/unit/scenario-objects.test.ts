// A scenario's own roles and databases: what the observer runs to make and drop them, how a
// session logs in with them, what validation refuses, and when a target makes it `skip`.
import { expect } from 'chai';
import type { QueryResult } from '../../harness/drivers/session.ts';
import type { ScenarioSpec } from '../../harness/scenario/model.ts';
import { objectsSkipReason, ScenarioObjects, sessionLogin } from '../../harness/scenario/scenario-objects.ts';
import { Templates } from '../../harness/scenario/templates.ts';
import { checkScenario, problemText } from '../../harness/scenario/validate.ts';
import { requiredCapabilities } from '../../harness/scenario/capabilities.ts';
import { odyssey } from '../../harness/poolers/odyssey/adapter.ts';
import { EXTERNAL_REACH } from '../../harness/poolers/scenario-reach.ts';
import { loaded } from '../scenario-fixture.ts';

const base: ScenarioSpec = {
  id: 'auth-transport/x',
  category: 'auth-transport',
  why: 'because',
  pool: 'single',
  roles: { r: { password: 'first-{{repeat:p:3}}' }, gone: { absent: true }, q: { login: false, connectionLimit: 2 } },
  databases: { d: {}, nosuch: { absent: true } },
  sessions: { a: { role: 'r' }, b: { role: 'r', database: 'd', pool: 'wide' }, c: { role: 'q', password: { text: 'second' } }, e: { user: 'empty' } },
  steps: [{ session: 'a', sql: 'SELECT 1' }],
};
const problems = (s: unknown): string[] => {
  const c = checkScenario(s, 'test');
  return c.ok ? [] : c.problems.map(problemText);
};
const APP = { user: 'poolcheck', password: 'app-pw', database: 'pc_single_0' };

describe("a scenario's own roles and databases", () => {
  it('are made on the observer under run-unique names, roles with a SCRAM secret the same in every run', () => {
    const made = new ScenarioObjects(base, new Templates('pc9_4', new Map()), '15.20 (Debian 15.20-0+deb12u1)').creation();
    expect(made.map((c) => c.sql.replace(/'SCRAM-SHA-256\$4096:[^']+'/, '<secret>'))).to.deep.equal([
      'CREATE DATABASE pc9_4_d STRATEGY = FILE_COPY',
      'CREATE ROLE pc9_4_r LOGIN PASSWORD <secret>',
      'CREATE ROLE pc9_4_q NOLOGIN CONNECTION LIMIT 2 PASSWORD <secret>',
    ]);
    const again = new ScenarioObjects(base, new Templates('pc9_5', new Map()), '14.9').creation();
    expect(again[1].sql.replace('pc9_5', 'pc9_4')).to.equal(made[1].sql);
    // Before 15 there is one way to copy a database, and no STRATEGY.
    expect(again[0].sql).to.equal('CREATE DATABASE pc9_5_d');
  });

  it('are dropped by oid whatever they are called by then: databases with FORCE, then each role after its backends end', async () => {
    const sent: string[] = [];
    const observe = async (sql: string): Promise<QueryResult> => {
      sent.push(sql);
      if (sql.startsWith('SELECT oid FROM pg_database')) return { rows: [['41']], columns: ['oid'] };
      if (sql.startsWith('SELECT oid FROM pg_roles')) return { rows: [[sql.includes('_q') ? '43' : '42']], columns: ['oid'] };
      if (sql.startsWith('SELECT quote_ident(datname)')) return { rows: [['renamed_d']], columns: ['quote_ident'] };
      return { rows: [], columns: [] };
    };
    const objects = new ScenarioObjects(base, new Templates('pc9_4', new Map()));
    await objects.create(observe);
    sent.length = 0;
    expect(await objects.drop(observe)).to.equal(undefined);
    expect(sent[0]).to.equal('SELECT quote_ident(datname) FROM pg_database WHERE oid = 41');
    expect(sent[1]).to.equal('DROP DATABASE IF EXISTS renamed_d WITH (FORCE)');
    expect(sent.slice(2).map((s) => s.match(/oid = (\d+)/)?.[1])).to.deep.equal(['42', '43']);
    expect(sent[2]).to.contain('pg_terminate_backend').and.contain('DROP OWNED BY %I').and.contain('DROP ROLE %I');
    // Dropped once: a second teardown has nothing left.
    sent.length = 0;
    await objects.drop(observe);
    expect(sent).to.deep.equal([]);
  });

  it('says why a drop failed, and still tries the rest', async () => {
    const objects = new ScenarioObjects({ databases: { d: {} }, roles: { r: {} } }, new Templates('pc9_4', new Map()));
    const sent: string[] = [];
    const observe = async (sql: string): Promise<QueryResult> => {
      sent.push(sql);
      if (sql.startsWith('SELECT oid')) return { rows: [['7']], columns: ['oid'] };
      if (sql.startsWith('SELECT quote_ident')) return { rows: [['pc9_4_d']], columns: ['n'] };
      if (sql.startsWith('DROP DATABASE'))
        return { rows: [], columns: [], error: { code: '55006', message: 'database is being accessed by other users' } };
      return { rows: [], columns: [] };
    };
    await objects.create(observe);
    expect(await objects.drop(observe)).to.match(/55006 database is being accessed/);
    expect(sent.at(-1)).to.contain('DROP ROLE');
  });

  it('log a session in as the role, with its password or the one it names, to the database it names', () => {
    const t = new Templates('pc9_4', new Map());
    expect(sessionLogin(base.sessions.a, base, t, APP)).to.deep.equal({ user: 'pc9_4_r', password: 'first-ppp', database: 'pc_single_0' });
    expect(sessionLogin(base.sessions.b, base, t, APP)).to.deep.equal({ user: 'pc9_4_r', password: 'first-ppp', database: 'pc9_4_d' });
    expect(sessionLogin(base.sessions.c, base, t, APP)).to.deep.equal({ user: 'pc9_4_q', password: 'second', database: 'pc_single_0' });
    expect(sessionLogin({ role: 'gone' }, base, t, APP).password).to.equal('pc9_4_gone-password');
    expect(sessionLogin({ password: 'wrong' }, base, t, APP)).to.deep.equal({ ...APP, password: 'not-the-password' });
    expect(sessionLogin({}, base, t, APP)).to.deep.equal(APP);
  });

  it('are validated: what sessions name exists, one role per session, no single pool on a database of its own', () => {
    expect(problems(base)).to.deep.equal([]);
    const p = problems({
      ...base,
      roles: { r: {}, d: {}, 'bad-key': {} },
      sessions: { a: { role: 'rr' }, b: { database: 'dd', pool: 'wide' }, c: { role: 'r', user: 'md5' }, e: { database: 'd' } },
    }).join('\n');
    expect(p).to.match(/roles: "bad-key" is not a name/);
    expect(p).to.match(/sessions\.a\.role: role "rr" is not one of the scenario's roles; declared: r, d, bad-key/);
    expect(p).to.match(/sessions\.b\.database: database "dd" is not one of the scenario's databases/);
    expect(p).to.match(/sessions\.c\.user: a session logs in as `role`.* not both/);
    expect(p).to.match(/sessions\.e\.database: .*say `pool: wide`/);
    expect(p).to.match(/databases\.d: "d" names a role too/);
    expect(problems({ ...base, sessions: { a: { password: 'right' } } }).join('\n')).to.match(/sessions\.a\.password/);
  });

  it("an empty user name is a raw client's to send", () => {
    expect([...requiredCapabilities(loaded({ ...base, sessions: { e: { user: 'empty' } }, steps: [{ session: 'e', sql: 'SELECT 1' }] }))]).to.include(
      'protocol',
    );
  });

  it("make a scenario skip where the target cannot serve them, with the adapter's reason", () => {
    const s = loaded(base);
    expect(objectsSkipReason(s, undefined, null)).to.equal(undefined);
    expect(objectsSkipReason(s, odyssey.scenarioReach, '1.5.2')).to.equal(undefined);
    expect(objectsSkipReason(s, odyssey.scenarioReach, '1.5.1')).to.match(/^the scenario logs in as a role it creates, and Odyssey before 1\.5\.2/);
    expect(objectsSkipReason(loaded({ ...base, sessions: { a: { database: 'd', pool: 'wide' } } }), EXTERNAL_REACH, null)).to.match(
      /to a database it creates, and an external pooler/,
    );
    // Roles it only declares do not matter: no session logs in with them.
    expect(objectsSkipReason(loaded({ ...base, sessions: { a: {} } }), EXTERNAL_REACH, null)).to.equal(undefined);
  });
});
