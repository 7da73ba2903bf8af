// Secrets kept out of what poolcheck writes (reports, terminal). A password can appear only in
// a connection string or a password field (masked wherever they are, whatever the password), or
// in a server's message, as a server may echo what it was sent. A secret long and varied enough
// to never match other text is also masked anywhere, in case something else repeats it; a weak
// one (kernel/weak-secret.ts) only where a server may have written it: masked anywhere, a
// password like "poolcheck" would hide a role name in every report.
import { MASK, maskConnectionStrings } from '../kernel/connection-string-mask.ts';
import { weakSecretReason } from '../kernel/weak-secret.ts';
import type { RunReport } from './run-report.ts';

export interface Redaction {
  /** Any text: connection strings' passwords, password fields, and the secrets that cannot collide. */
  readonly anywhere: (text: string) => string;
  /** Text a server wrote, or that quotes what it answered: every secret besides. */
  readonly serverText: (text: string) => string;
}

const replaceAll = (secrets: readonly string[]) => (text: string) => secrets.reduce((t, s) => t.split(s).join(MASK), text);

/** Nothing to hide (what merge reads was redacted when its shards were written). */
export const NO_REDACTION: Redaction = { anywhere: (s) => s, serverText: (s) => s };

export function redaction(secrets: readonly string[]): Redaction {
  // Shorter than 4, a secret would be found in nearly every message: only its structural places hide it.
  const known = secrets.filter((s) => s.length >= 4);
  const strong = replaceAll(known.filter((s) => !weakSecretReason(s)));
  const all = replaceAll(known);
  const anywhere = (text: string) => maskConnectionStrings(strong(text));
  return { anywhere, serverText: (text) => anywhere(all(text)) };
}

/**
 * The report with every field that can quote a server passed through `serverText`: results'
 * messages and what each step observed (a login error a pooler worded with the password it got),
 * a target's start error, a diff's messages. Ids, settings, profile reasons, the steps' own SQL
 * and what they expected are the run's words, never a server's.
 */
export function redactReport(r: RunReport, red: Redaction): RunReport {
  const t = red.serverText;
  const opt = (s: string | undefined) => (s === undefined ? s : t(s));
  const divergence = <D extends { readonly observed: string }>(d: D | undefined) => (d ? { ...d, observed: t(d.observed) } : d);
  return {
    ...r,
    targets: r.targets.map((x) => (x.error ? { ...x, error: t(x.error) } : x)),
    results: r.results.map((x) => ({
      ...x,
      message: opt(x.message),
      divergence: divergence(x.divergence),
      steps: x.steps.map((s) => ({ ...s, observed: opt(s.observed) })),
      ...(x.attempts ? { attempts: x.attempts.map((a) => ({ ...a, message: opt(a.message), divergence: divergence(a.divergence) })) } : {}),
    })),
    ...(r.diff
      ? {
          diff: {
            ...r.diff,
            targets: r.diff.targets.map((d) => ({
              ...d,
              changes: d.changes.map((c) => ({ ...c, message: c.message === null ? null : t(c.message) })),
            })),
          },
        }
      : {}),
  };
}

/**
 * Transcript lines a server wrote (`a <= BE ...`), a driver's account of its answer (`a -- => ...`)
 * and the result's message under the title line (`# ...`, assemble.ts): the places a server's
 * words are in a transcript. Client lines (`FE=>`, the steps' SQL) are the scenario's.
 */
const SERVER_LINE = /^(?:\S+ <= BE |\S+ -- => )/;

export function redactTranscript(text: string, red: Redaction): string {
  return text
    .split('\n')
    .map((line, i) => (SERVER_LINE.test(line) || (i > 0 && line.startsWith('# ')) ? red.serverText(line) : red.anywhere(line)))
    .join('\n');
}
