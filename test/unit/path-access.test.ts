import { expect } from 'chai';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BinaryAccessError, findBinary } from '../../harness/targets/binaries.ts';
import { cannotRunAs } from '../../harness/targets/path-access.ts';
import { tempDir } from '../temp-dir.ts';

// A user other than this process, as the servers run when poolcheck is root.
const POSTGRES = { name: 'postgres', uid: 4242, gid: 4343 };

/** A temporary folder anyone may pass through (mkdtemp makes it 700). */
const openTemp = (prefix: string) => {
  const dir = tempDir(prefix);
  chmodSync(dir, 0o755);
  return dir;
};

/** An executable in a folder of its own, with the folder's mode. */
function program(folderMode: number, fileMode = 0o755): { dir: string; file: string } {
  const dir = path.join(openTemp('pc-access-'), 'private');
  mkdirSync(dir);
  const file = path.join(dir, 'pgbouncer');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, fileMode);
  chmodSync(dir, folderMode);
  return { dir, file };
}

describe("a program the servers' user cannot run", () => {
  it('is found before anything starts: a folder on the way it may not enter, or a file it may not execute', () => {
    const closed = program(0o700);
    expect(cannotRunAs(closed.file, POSTGRES, `--pgbouncer-bin ${closed.file}`)).to.equal(
      `--pgbouncer-bin ${closed.file}: the servers run as postgres, who may not enter ${closed.dir} (mode 700, owner uid ${process.getuid!()}): put the program where postgres can reach it, or let it through with chmod o+x ${closed.dir}`,
    );
    const open = program(0o711);
    expect(cannotRunAs(open.file, POSTGRES, 'x')).to.equal(undefined);
    const own = program(0o711, 0o700);
    expect(cannotRunAs(own.file, POSTGRES, 'x')).to.match(/who may not execute .*pgbouncer \(mode 700, .*chmod o\+rx/);
  });

  it('follows links: a program reached through one still needs every folder on the real way', () => {
    const closed = program(0o700);
    const link = path.join(openTemp('pc-link-'), 'pgbouncer');
    symlinkSync(closed.file, link);
    expect(cannotRunAs(link, POSTGRES, 'x')).to.match(new RegExp(`may not enter ${closed.dir} `));
  });

  it("reads the group bits for the user's own group, and the owner bits for its own files", function () {
    if (process.getuid?.() !== 0) this.skip();
    const grouped = program(0o750);
    chownSync(grouped.dir, 0, POSTGRES.gid);
    expect(cannotRunAs(grouped.file, POSTGRES, 'x')).to.equal(undefined);
    const owned = program(0o700);
    chownSync(owned.dir, POSTGRES.uid, 0);
    expect(cannotRunAs(owned.file, POSTGRES, 'x')).to.equal(undefined);
  });

  it('makes --<pooler>-bin fail in one line naming the path and the fix', () => {
    const closed = program(0o700);
    let err: unknown;
    try {
      findBinary({
        program: 'pgbouncer',
        aptPackage: 'pgbouncer',
        flag: '--pgbouncer-bin PATH',
        explicit: closed.file,
        candidates: () => [],
        allowInstall: false,
        runAs: () => POSTGRES,
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(BinaryAccessError);
    expect((err as Error).message)
      .to.match(/^--pgbouncer-bin .*pgbouncer: the servers run as postgres, who may not enter .*chmod o\+x/)
      .and.not.to.contain('\n');
  });
});
