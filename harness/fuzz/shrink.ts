// A diverging program cut down to what the divergence needs: whole sessions, transaction blocks
// and single steps are dropped, one at a time, while the same divergence remains (the caller's
// `check` runs the candidate on PostgreSQL and on the target), until nothing more can go. A
// candidate that could not run through a pool of one server connection (another client acting
// while one has a transaction open, a step after its session left) is never tried.
import type { ScenarioSpec, StepSpec } from '../scenario/model.ts';
import { OBSERVER } from '../scenario/model.ts';

/** Where the candidate diverged the same way (its step, from 1), or undefined: it did not. */
export type ShrinkCheck = (candidate: ScenarioSpec) => Promise<{ readonly step: number } | undefined>;

export interface ShrinkOptions {
  /** The step, from 1, at which the program diverged: nothing after it is needed. */
  readonly divergedAt?: number;
  /** True once no further candidate may be tried (the run's deadline, an interrupt). */
  readonly stop?: () => boolean;
}

const OPENS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const CLOSES = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+TO\b)(?!\s+TRANSACTION\s+TO\b))\b/i;

/** Whether the steps run through a pool of one server connection as written (see top). */
export function wellFormed(steps: readonly StepSpec[]): boolean {
  if (!steps.some((st) => st.session !== OBSERVER)) return false;
  let open: string | undefined;
  const gone = new Set<string>();
  for (const st of steps) {
    if (st.session === OBSERVER) continue;
    if (gone.has(st.session)) return false;
    if (open !== undefined && open !== st.session) return false;
    if (st.disconnect !== undefined) {
      gone.add(st.session);
      if (open === st.session) open = undefined;
      continue;
    }
    if (st.sql !== undefined && OPENS.test(st.sql)) open = st.session;
    else if (st.sql !== undefined && CLOSES.test(st.sql) && open === st.session) open = undefined;
  }
  return true;
}

/** The program with these steps, and only the sessions and setup they use. */
export function withSteps(program: ScenarioSpec, steps: readonly StepSpec[]): ScenarioSpec {
  const used = new Set(steps.map((st) => st.session));
  const sessions = Object.fromEntries(Object.entries(program.sessions).filter(([name]) => used.has(name)));
  const text = JSON.stringify(steps);
  const objects = (sqls: readonly string[] | undefined) =>
    sqls?.filter((sql) => [...sql.matchAll(/\{\{(\w+)\}\}/g)].some((m) => text.includes(`{{${m[1]}}}`)));
  const setup = objects(program.setup);
  const teardown = objects(program.teardown);
  const { setup: _s, teardown: _t, sessions: _x, steps: _y, ...head } = program;
  return { ...head, ...(setup?.length ? { setup } : {}), ...(teardown?.length ? { teardown } : {}), sessions, steps: [...steps] };
}

/** Index ranges [from, to) of one session's transaction blocks, BEGIN to COMMIT/ROLLBACK. */
function blocks(steps: readonly StepSpec[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  steps.forEach((st, i) => {
    if (st.sql === undefined || !OPENS.test(st.sql)) return;
    const end = steps.findIndex((x, j) => j > i && x.session === st.session && x.sql !== undefined && CLOSES.test(x.sql));
    out.push([i, end < 0 ? steps.length : end + 1]);
  });
  return out;
}

/** Candidates, largest cuts first: a session, a block, one step (from the last). */
function* candidates(steps: readonly StepSpec[]): Generator<StepSpec[]> {
  const sessions = [...new Set(steps.map((st) => st.session))];
  for (const s of sessions) yield steps.filter((st) => st.session !== s);
  for (const [from, to] of blocks(steps).reverse()) if (to - from > 1) yield [...steps.slice(0, from), ...steps.slice(to)];
  for (let i = steps.length - 1; i >= 0; i--) yield [...steps.slice(0, i), ...steps.slice(i + 1)];
}

/** The smallest program found that still diverges the same way (the program itself if none smaller does). */
export async function shrink(program: ScenarioSpec, check: ShrinkCheck, opts: ShrinkOptions = {}): Promise<ScenarioSpec> {
  let best = program;
  if (opts.divergedAt !== undefined && opts.divergedAt < program.steps.length) {
    const cut = withSteps(program, program.steps.slice(0, opts.divergedAt));
    if (wellFormed(cut.steps) && !opts.stop?.()) {
      const got = await check(cut);
      if (got) best = withSteps(cut, cut.steps.slice(0, got.step));
    }
  }
  const tried = new Set<string>();
  for (let progress = true; progress && !opts.stop?.();) {
    progress = false;
    for (const steps of candidates(best.steps)) {
      if (opts.stop?.()) break;
      const key = JSON.stringify(steps);
      if (steps.length === best.steps.length || !wellFormed(steps) || tried.has(key)) continue;
      tried.add(key);
      const candidate = withSteps(best, steps);
      const got = await check(candidate);
      if (!got) continue;
      // Nothing after the diverging step is needed.
      best = withSteps(candidate, candidate.steps.slice(0, got.step));
      progress = true;
      break;
    }
  }
  return best;
}
