// The pinning map: per transaction- or statement-mode target, after which actions a client
// keeps its server connection so that another client of a one-server pool waits. It is read
// from the results of the pinning scenarios (suites/stress/pinning.ts, ids PINNING_PREFIX +
// action), each a client `a` taking the action and a client `b` asking for an answer while a
// still holds what it made. The action is step 1, b's probe step 2 (the suite keeps it so):
//   pass                                          -> does not pin (b was served, as on PostgreSQL)
//   b got no answer within its deadline           -> pins
//   a's action (step 1) failed (an error, a close) -> refuses
//   a failed after b was served (its table, cursor
//   was gone when it came back for it)            -> does not pin (lost)
// A figure beside the verdicts, not one: the results themselves are judged as any other.
import type { ReportRow, RunReport } from './run-report.ts';

export const PINNING_PREFIX = 'stress/pinning-after-';

export type PinningCell = 'pins' | 'does not pin' | 'does not pin (lost)' | 'refuses' | 'not decided';

/** The step of b's probe: right after the one step of the action. */
const PROBE_STEP = 2;

export interface PinningRow {
  /** The action, from the scenario id ("sql prepare"). */
  readonly action: string;
  readonly scenario: string;
  /** Per target id: what it did; absent where the target ran no such result. */
  readonly cells: Readonly<Record<string, PinningCell>>;
}

/** Only poolers that hand servers out per transaction or statement pin; session pooling holds the server anyway. */
const pooling = (mode: string | null) => mode === 'transaction' || mode === 'statement' || (mode?.startsWith('pooled') ?? false);

export function pinningCell(results: readonly Pick<ReportRow, 'outcome' | 'divergence'>[]): PinningCell {
  const ran = results.filter((r) => r.outcome === 'pass' || r.outcome === 'diverge');
  if (!ran.length) return 'not decided';
  const cells = new Set(
    ran.map((r): PinningCell => {
      if (r.outcome === 'pass') return 'does not pin';
      const d = r.divergence;
      if (d?.session === 'b' && d.kind === 'no-answer') return 'pins';
      if (d?.session === 'a' && d.step < PROBE_STEP) return 'refuses';
      if (d?.session === 'a' && d.step > PROBE_STEP) return 'does not pin (lost)';
      return 'not decided';
    }),
  );
  return cells.size === 1 ? [...cells][0] : 'not decided';
}

/** The targets the map has a column for: transaction and statement pooling. */
export function pinningTargets(r: Pick<RunReport, 'targets'>): string[] {
  return r.targets.filter((t) => t.pooler && pooling(t.mode)).map((t) => t.id);
}

/** One row per pinning action the run has results for; none when it ran none (they are opt-in). */
export function pinningRows(r: Pick<RunReport, 'targets' | 'results'>): PinningRow[] {
  const targets = pinningTargets(r);
  const scenarios = [...new Set(r.results.filter((x) => x.scenario.startsWith(PINNING_PREFIX)).map((x) => x.scenario))];
  if (!targets.length) return [];
  return scenarios.map((scenario) => ({
    scenario,
    action: scenario.slice(PINNING_PREFIX.length).replace(/-/g, ' '),
    cells: Object.fromEntries(
      targets.flatMap((t) => {
        const xs = r.results.filter((x) => x.scenario === scenario && x.target === t);
        return xs.length ? [[t, pinningCell(xs)]] : [];
      }),
    ),
  }));
}

/** Per target, the one-line answer: "pins after: sql prepare, open transaction; refuses: ...". */
export function pinsAfter(rows: readonly PinningRow[], target: string): string {
  const of = (c: PinningCell) => rows.filter((row) => row.cells[target] === c).map((row) => row.action);
  const pins = of('pins');
  const refuses = of('refuses');
  return `pins after: ${pins.length ? pins.join(', ') : 'none of the actions tried'}${refuses.length ? `; refuses: ${refuses.join(', ')}` : ''}`;
}
