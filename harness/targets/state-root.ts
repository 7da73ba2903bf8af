// The folder under which each run keeps its state (servers' folders, pid lists, the owner).
// poolcheck often runs as root and removes what killed runs left there, so the folder must be
// one no other user can plant: per user, created by us with mode 0711 (servers running as
// another user may pass through it to their own run folder, nobody may list or write it), and
// refused, never followed, if it is a symlink or belongs to someone else.
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const uid = () => process.getuid?.() ?? 0;

export const STATE_ROOT = path.join(os.tmpdir(), `poolcheck-${uid()}`);

export class UnsafeStateRootError extends Error {}

/** Creates STATE_ROOT if needed and returns it; throws when what is there cannot be trusted. */
export function stateRoot(): string {
  try {
    mkdirSync(STATE_ROOT, { mode: 0o711 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = lstatSync(STATE_ROOT);
  const problem = st.isSymbolicLink()
    ? 'is a symbolic link'
    : !st.isDirectory()
      ? 'is not a directory'
      : st.uid !== uid()
        ? `belongs to uid ${st.uid}, not to you (uid ${uid()})`
        : (st.mode & 0o022) !== 0
          ? `can be written by others (mode ${(st.mode & 0o777).toString(8)})`
          : undefined;
  if (problem)
    throw new UnsafeStateRootError(`poolcheck's state folder ${STATE_ROOT} ${problem}: remove it (poolcheck recreates it) or point TMPDIR elsewhere`);
  return STATE_ROOT;
}

/**
 * Whether an entry of STATE_ROOT is a run folder of ours, safe to remove: a real directory owned
 * by us or by the user our servers run as (a root run hands its folder to them).
 */
export function isOwnRunFolder(dir: string, serverUid?: number): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && !st.isSymbolicLink() && (st.uid === uid() || st.uid === serverUid);
  } catch {
    return false;
  }
}

/**
 * Why a server running as `user` could not reach folders under STATE_ROOT (a folder on the
 * way it may not pass through, such as a private TMPDIR), or undefined.
 */
export function unreachableBy(user: { readonly uid: number; readonly gid: number; readonly name: string }): string | undefined {
  for (let dir = STATE_ROOT; ; dir = path.dirname(dir)) {
    const st = statSync(dir);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit))
      return `the servers run as ${user.name}, who may not pass through ${dir} (mode ${(st.mode & 0o777).toString(8)}): point TMPDIR at a folder others may pass through, or chmod o+x ${dir}`;
    if (dir === path.dirname(dir)) return undefined;
  }
}
