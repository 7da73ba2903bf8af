// Whether the user the servers run as can reach and run a program poolcheck was given. As root,
// poolcheck starts servers as `postgres` (server-user.ts) with only that user's uid and primary
// gid: Node's spawn drops supplementary groups when it changes the user (libuv calls
// setgroups(0, NULL)). So the mode bits of each folder on the way and of the file itself decide,
// read for that uid and gid. Checked before anything starts: found late, every target of the run
// fails with `spawn ... EACCES`.
import { realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ServerUser } from './server-user.ts';

/** The permission bits that apply to `user` for a file: its owner's, its group's, or everyone else's. */
function bitsFor(st: Stats, user: ServerUser): number {
  const shift = st.uid === user.uid ? 6 : st.gid === user.gid ? 3 : 0;
  return (st.mode >> shift) & 0o7;
}

const mode = (st: Stats) => (st.mode & 0o7777).toString(8);

/** Every folder a lookup of `file` passes through: as written, and where its links lead. */
function foldersOnTheWay(file: string): string[] {
  const ancestors = (p: string): string[] => {
    const out: string[] = [];
    for (let dir = path.dirname(p); ; dir = path.dirname(dir)) {
      out.unshift(dir);
      if (dir === path.dirname(dir)) return out;
    }
  };
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    /* a missing file is findBinary's to report */
  }
  return [...new Set([...ancestors(path.resolve(file)), ...ancestors(real)])];
}

/**
 * Why `user` cannot run `file`, as one clause naming the path and the fix; undefined when it can.
 * `what` names the file as the user gave it ("--pgbouncer-bin /root/build/pgbouncer").
 */
export function cannotRunAs(file: string, user: ServerUser, what: string): string | undefined {
  for (const dir of foldersOnTheWay(file)) {
    const st = statSync(dir);
    if (!(bitsFor(st, user) & 0o1)) {
      return `${what}: the servers run as ${user.name}, who may not enter ${dir} (mode ${mode(st)}, owner uid ${st.uid}): put the program where ${user.name} can reach it, or let it through with chmod o+x ${dir}`;
    }
  }
  const st = statSync(file);
  if (!(bitsFor(st, user) & 0o1)) {
    return `${what}: the servers run as ${user.name}, who may not execute ${file} (mode ${mode(st)}, owner uid ${st.uid}): chmod o+rx ${file}, or put a copy where ${user.name} may run it`;
  }
  return undefined;
}
