import { expect } from 'chai';
import { Transcript } from '../../harness/wire/transcript.ts';
import { encode } from '../../harness/wire/frontend-codec.ts';
import { renderBackend, renderFrontend } from '../../harness/wire/messages.ts';

describe('Transcript', () => {
  it('labels pids by first appearance, keeping identity, so two runs diff cleanly', () => {
    const render = (p1: number, p2: number) => {
      const t = new Transcript();
      t.be('a', renderBackend({ type: 'BackendKeyData', pid: p1, key: { hex: '00000063' } }));
      t.pid(p1);
      t.be('b', renderBackend({ type: 'DataRow', values: [String(p2)] }));
      t.pid(p2);
      t.be('a', renderBackend({ type: 'DataRow', values: [String(p1)] }));
      return t.render();
    };
    const one = render(4242, 777);
    expect(one).to.equal(render(1001, 2002));
    expect(one).to.contain('a <= BE BackendKeyData(pid=pid#1, key=<secret>)');
    expect(one).to.contain('b <= BE DataRow(["pid#2"])');
    expect(one).to.contain('a <= BE DataRow(["pid#1"])');
    expect(one).not.to.contain('99');
  });

  it('replaces timestamps and run-specific names', () => {
    const t = new Transcript();
    t.fe('a', renderFrontend({ type: 'Query', sql: 'SELECT now() FROM pcab12_3_seq' }));
    t.be('a', renderBackend({ type: 'DataRow', values: ['2026-11-21 08:01:02.123+00'] }));
    const out = t.render([['pcab12_3_seq', '{{seq}}']]);
    expect(out).to.equal('a FE=> Query("SELECT now() FROM {{seq}}")\na <= BE DataRow(["<timestamp>"])\n');
  });

  it("labels the oids of a scenario's roles and databases, which depend on what other lanes made first", () => {
    const render = (oid: string) => {
      const t = new Transcript();
      t.be('observer', renderBackend({ type: 'DataRow', values: [oid] }));
      t.fe('observer', renderFrontend({ type: 'Query', sql: `DROP ROLE x WHERE oid = ${oid}` }));
      t.oid(oid);
      return t.render();
    };
    expect(render('18475')).to.equal(render('18489')).and.to.contain('DataRow(["oid#1"])').and.to.contain('oid = oid#1');
  });

  it("hides a role's stored secret and Odyssey's connection ids, which differ from run to run", () => {
    const t = new Transcript();
    t.fe(
      'observer',
      renderFrontend({ type: 'Query', sql: "CREATE ROLE r LOGIN PASSWORD 'SCRAM-SHA-256$4096:NpFXjOc//3T7jjScZJpIgw==$v63/J0+d=:dUka+PY='" }),
    );
    t.fe('observer', renderFrontend({ type: 'Query', sql: "ALTER ROLE r PASSWORD 'md50123456789abcdef0123456789abcdef'" }));
    t.note('a', '=> ERROR 28000: a: odyssey: c0eae83547840: password authentication failed');
    t.note('b', 'socket error: 805CA119FE7E0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca');
    t.note('c', '=> ERROR 08006: odyssey: c0eae83547840: remote server read/write error s5747c24b1b4e: Resource temporarily unavailable');
    t.note('c', '=> ERROR 08006: odyssey: c0eae83547840: failed to connect to remote server scad544560369');
    expect(t.render()).to.equal(
      'observer FE=> Query("CREATE ROLE r LOGIN PASSWORD \'SCRAM-SHA-256$<secret>\'")\n' +
        'observer FE=> Query("ALTER ROLE r PASSWORD \'md5<secret>\'")\n' +
        'a -- => ERROR 28000: a: odyssey: c<id>: password authentication failed\n' +
        'b -- socket error: <thread>:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca\n' +
        'c -- => ERROR 08006: odyssey: c<id>: remote server read/write error s<id>: Resource temporarily unavailable\n' +
        'c -- => ERROR 08006: odyssey: c<id>: failed to connect to remote server s<id>\n',
    );
  });

  it('does not touch numbers that are not pids', () => {
    const t = new Transcript();
    t.pid(12);
    t.be('a', renderBackend({ type: 'CommandComplete', tag: 'SELECT 120' }));
    expect(t.render()).to.contain('SELECT 120');
  });
});

describe('a transcript of two runs of the same thing', () => {
  it('words what the server generated alike: transaction ids, saved numbers, ports, generated statement names, in lines and messages', () => {
    const t = new Transcript();
    t.xid('4711');
    t.saved('lo', '16391');
    t.saved('orig', '0');
    t.pid(123);
    t.note('a', '=> rows [["4711","16391","0"]]');
    t.be('a', 'ErrorResponse(S=ERROR, C=26000, M="prepared statement \\"vmo3ato9vx1\\" does not exist")');
    t.note('b', 'write CONNECTION_CLOSED 127.0.0.1:27404');
    expect(t.render()).to.equal(
      'a -- => rows [["xid#1","$lo","0"]]\na <= BE ErrorResponse(S=ERROR, C=26000, M="prepared statement \\"name#1\\" does not exist")\nb -- write CONNECTION_CLOSED 127.0.0.1:<port>\n',
    );
    // A message names the same things the same way, and goes on numbering what the lines did not name.
    expect(t.normalize('expected $p (123), got prepared statement "vmo3ato9vx1" at 127.0.0.1:5432; xid 4711')).to.equal(
      'expected $p (pid#1), got prepared statement "name#1" at 127.0.0.1:<port>; xid xid#1',
    );
  });
});

describe('frontend messages', () => {
  it('encodes with the protocol letter first and renders in pgproto style', () => {
    expect(String.fromCharCode(encode({ type: 'Parse', name: 's1', sql: 'SELECT 1' })[0])).to.equal('P');
    expect(String.fromCharCode(encode({ type: 'Sync' })[0])).to.equal('S');
    expect(String.fromCharCode(encode({ type: 'Flush' })[0])).to.equal('H');
    expect(renderFrontend({ type: 'Parse', name: 's1', sql: 'SELECT 1' })).to.equal('Parse(stmt="s1", query="SELECT 1")');
    expect(renderFrontend({ type: 'Bind', statement: 's1', params: ['1', null] })).to.equal('Bind(portal="", stmt="s1", params=["1",null])');
  });
});

describe('a number that equals a pid by chance', () => {
  it('stays as it is in a line of data, so which value becomes pid#1 does not depend on the run', () => {
    const t = new Transcript();
    t.pid(13516);
    t.be('a', renderBackend({ type: 'DataRow', values: ['13516', 'note-13516|xx'] }));
    t.fe('a', renderFrontend({ type: 'Bind', statement: '', params: ['13514', '13515', '13516', '13517', '13518'] }));
    t.be('a', renderBackend({ type: 'DataRow', values: ['13516'] }));
    t.note('b', 'connection to server at "127.0.0.1", port 31499 failed');
    expect(t.render()).to.equal(
      'a <= BE DataRow(["13516","note-13516|xx"])\n' +
        'a FE=> Bind(portal="", stmt="", params=["13514","13515","13516","13517","13518"])\n' +
        'a <= BE DataRow(["pid#1"])\n' +
        'b -- connection to server at "127.0.0.1", port <port> failed\n',
    );
  });

  it('is still a pid beside the pids of sessions forked one after another, or a pid that ends in the same digits', () => {
    const t = new Transcript();
    for (const p of [700, 701, 702, 3516, 13516]) t.pid(p);
    t.note('observer', '=> rows [["700","701","702"]]');
    t.note('observer', '=> rows [["3516","13516"]]');
    expect(t.render()).to.equal('observer -- => rows [["pid#1","pid#2","pid#3"]]\nobserver -- => rows [["pid#4","pid#5"]]\n');
  });
});

describe('the order of a transcript', () => {
  const run = (notificationFirst: boolean, replyDuringCancel: boolean) => {
    const t = new Transcript();
    t.step('a', 'step 1: LISTEN c');
    t.step('b', 'step 2: NOTIFY c');
    t.fe('b', 'Query("NOTIFY c")');
    if (notificationFirst) t.be('a', 'NotificationResponse(pid=1, channel="c")');
    t.be('b', 'ReadyForQuery(I)');
    t.step('a', 'step 3: wait for a notification on c');
    if (!notificationFirst) t.be('a', 'NotificationResponse(pid=1, channel="c")');
    t.step('a', 'step 4: SELECT pg_sleep(10) (in the background as q)');
    t.background('a');
    t.fe('a', 'Query("SELECT pg_sleep(10)")');
    t.step('observer', 'step 5: wait until it sleeps');
    t.step('a', 'step 6: cancel the running query');
    t.fe('a', 'CancelRequest(pid=1)');
    if (replyDuringCancel) t.be('a', 'ErrorResponse(C=57014)');
    t.result('a', '=> done');
    t.step('a', 'step 7: await q');
    if (!replyDuringCancel) t.be('a', 'ErrorResponse(C=57014)');
    t.settled('a');
    return t.render();
  };

  it('is the order of the steps, not of the packets: a session shows what it received under its own next step', () => {
    const one = run(true, true);
    for (const [n, r] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const)
      expect(run(n, r)).to.equal(one);
    expect(one.split('\n').slice(4, 6)).to.deep.equal([
      'a -- step 3: wait for a notification on c',
      'a <= BE NotificationResponse(pid=1, channel="c")',
    ]);
    expect(one).to.match(
      /step 6: cancel the running query\na -- => done\na -- step 7: await q\na FE=> Query\("SELECT pg_sleep\(10\)"\)\na FE=> CancelRequest\(pid=1\)\na <= BE ErrorResponse/,
    );
  });
});
