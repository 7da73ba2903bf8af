// One scenario run's exchange, every session interleaved in order, in pgproto's style:
//   a FE=> Parse(stmt="s1", query="SELECT 1")
//   a <= BE ParseComplete
// Rendering normalises what differs between two runs of the same thing (backend pids,
// timestamps, per-run object names) so transcripts of two runs, or of PostgreSQL and a
// pooler, can be diffed line by line. Pids keep their identity: the first pid seen is pid#1.

const TIMESTAMP = /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d(?::\d\d)?|Z)?/g;

export class Transcript {
  private readonly lines: string[] = [];
  private readonly pids = new Set<string>();

  /** A transcript that keeps nothing, for poolcheck's own traffic between scenarios. */
  static none(): Transcript { return new Transcript(false); }

  constructor(private readonly keep = true) {}

  fe(session: string, text: string): void { this.add(`${session} FE=> ${text}`); }
  be(session: string, text: string): void { this.add(`${session} <= BE ${text}`); }
  /** A driver-level or harness line (drivers that hide the wire log what they were asked and answered). */
  note(session: string, text: string): void { this.add(`${session} -- ${text}`); }

  private add(line: string): void { if (this.keep) this.lines.push(line); }

  /** A number that is a backend pid (from BackendKeyData, a pid column, a notification). */
  pid(value: number | string | null | undefined): void {
    // Poolers hand out made-up keys; read as signed int32 they can be negative.
    if (this.keep && value !== null && value !== undefined && /^-?\d+$/.test(String(value)) && Number(value) !== 0) this.pids.add(String(value));
  }

  /** `replace` maps run-specific strings (object names, run id) to their stable spelling. */
  render(replace: ReadonlyArray<readonly [string, string]> = []): string {
    const labels = new Map<string, string>();
    const pidPattern = this.pids.size ? new RegExp(`(?<![\\w-])(${[...this.pids].join('|')})(?!\\w)`, 'g') : undefined;
    const out = this.lines.map((line) => {
      let s = line;
      for (const [from, to] of replace) if (from) s = s.split(from).join(to);
      s = s.replace(TIMESTAMP, '<timestamp>');
      if (pidPattern) {
        s = s.replace(pidPattern, (p) => {
          if (!labels.has(p)) labels.set(p, `pid#${labels.size + 1}`);
          return labels.get(p)!;
        });
      }
      return s;
    });
    return out.join('\n') + '\n';
  }
}
