// Servers log into the out folder's staging area while a run goes (OUT/.run-ID/logs/), which
// becomes OUT/logs/ when the reports are published and is gone after: a message that names a
// log file (a server that exited: "see .../x.log") names it where it will be.
import path from 'node:path';
import type { Redaction } from './redact.ts';

// Only the logs move: the journal (OUT/.run-ID/journal.jsonl) stays where it is when a run could
// not publish (a full disk), and a message naming it must keep naming it there.
export const relocator = (staging: string, out: string) => {
  const [from, to] = [path.join(staging, 'logs') + path.sep, path.join(out, 'logs') + path.sep];
  return (text: string): string => text.split(from).join(to);
};

/** `red`, with paths under `staging` moved to `out` first. */
export function relocating(red: Redaction, staging: string, out: string): Redaction {
  const move = relocator(staging, out);
  return { anywhere: (t) => red.anywhere(move(t)), serverText: (t) => red.serverText(move(t)) };
}
