// A scenario is checked once, when the catalogue loads it (as PostgreSQL's isolation tester
// checks a spec before running it): first its shape against the schema derived from the model
// (scenario-schema.ts), then what refers to what (sessions, saved values, background steps,
// the modes of a known issue's pooler). Every problem carries the path of what it is about, so
// a case file can name file:line:col; each step is tagged with its kind on the way.
import { didYouMean, normalize, validate, type Path, type Problem } from '../kernel/schema.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import { OBSERVER, type Origin, type Scenario, type ScenarioSpec, type Step, type StepKind } from './model.ts';
import { SCENARIO_SCHEMA } from './scenario-schema.ts';
import type { SavedRefFields, StepsBefore } from './step-kind.ts';
import { kindOf, STEP_KIND_NAMES, STEP_KINDS } from './step-kinds.ts';
import { weakChecks } from './weak-checks.ts';

export type Checked =
  /** `warnings`: checks that cannot fail where the bug exists (weak-checks.ts); errors under --strict. */
  | { readonly ok: true; readonly scenario: Scenario; readonly warnings: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** A problem as one line where there is no file position (a TypeScript suite): "step 3: ...". */
export function problemText(p: Problem): string {
  const [first, second, ...rest] = p.path;
  const where =
    first === 'steps' && typeof second === 'number' ? `step ${second + 1}${rest.length ? ` (at ${rest.join('.')})` : ''}` : p.path.join('.');
  return where ? `${where}: ${p.message}` : p.message;
}

/** What the steps so far have declared, collected as the scenario is walked. */
interface Seen extends StepsBefore {
  readonly saved: Set<string>;
  readonly background: Map<string, { readonly session: string; readonly index: number }>;
  readonly ended: Set<string>;
  readonly stepped: Set<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Checks a scenario as written (any data: a YAML document, a module's export) and tags its steps. */
export function checkScenario(spec: unknown, source: string, origin: Origin = { shipped: false, folder: '' }): Checked {
  const problems = validate(spec, SCENARIO_SCHEMA);
  if (!isRecord(spec) || !Array.isArray(spec.steps)) return { ok: false, problems };
  const data = normalize(spec, SCENARIO_SCHEMA) as ScenarioSpec;
  // A step with a problem of its own is not cross-checked: its kind or fields may be anything.
  const sound = (i: number) => !problems.some((p) => p.path[0] === 'steps' && p.path[1] === i);
  const seen: Seen = {
    sessions: isRecord(data.sessions) ? Object.keys(data.sessions) : [],
    saved: new Set(),
    background: new Map(),
    ended: new Set(),
    stepped: new Set(),
  };
  const steps: Step[] = [];
  const kindNamed = (st: unknown) => STEP_KIND_NAMES.find((k) => isRecord(st) && st[k] !== undefined);
  data.steps.forEach((st, i) => {
    const kind = kindNamed(st);
    if (sound(i) && kind) {
      const step = { ...st, kind } as Step;
      problems.push(...stepProblems(step, seen).map((p) => ({ ...p, path: ['steps', i, ...p.path] })));
      steps.push(step);
    }
    // Names a step declares count even when it is broken, so one mistake is reported once.
    if (isRecord(st) && typeof st.background === 'string') seen.background.set(st.background, { session: String(st.session), index: i });
    for (const key of ['save', 'savePid'] as const) if (isRecord(st) && typeof st[key] === 'string') seen.saved.add(st[key]);
    if (isRecord(st) && kind && STEP_KINDS[kind].endsSession) seen.ended.add(String(st.session));
    if (isRecord(st)) seen.stepped.add(String(st.session));
  });
  const awaited = new Set(steps.flatMap((st) => (st.kind === 'await' ? [st.await] : [])));
  for (const [name, { index, session }] of seen.background) {
    // A session dropped while its step runs never gets that step's answer (runner.ts forget).
    const dropped = data.steps.some((st, j) => {
      const kind = kindNamed(st);
      return j > index && isRecord(st) && st.session === session && kind !== undefined && STEP_KINDS[kind].endsSession;
    });
    if (!awaited.has(name) && !dropped)
      problems.push({ path: ['steps', index, 'background'], message: `background step "${name}" is never awaited (or its session disconnected)` });
  }
  problems.push(...knownModeProblems(data), ...objectProblems(data));
  // In the order they were written: the scenario's own keys, then step by step.
  const order = (p: Problem) => (p.path[0] === 'steps' && typeof p.path[1] === 'number' ? p.path[1] : -1);
  return problems.length
    ? { ok: false, problems: problems.sort((a, b) => order(a) - order(b)) }
    : { ok: true, scenario: { ...data, steps, source, origin }, warnings: weakChecks(steps) };
}

const runsOnObserver = (k: StepKind) => 'observe' in STEP_KINDS[k];

function stepProblems(st: Step, seen: StepsBefore): Problem[] {
  const problems: Problem[] = [];
  const at = (path: Path, message: string) => problems.push({ path, message });
  const def = kindOf(st);
  const onObserver = st.session === OBSERVER;
  if (!onObserver && !seen.sessions.includes(st.session)) {
    at(
      ['session'],
      `unknown session "${st.session}"${didYouMean(st.session, [...seen.sessions, OBSERVER])}; declared: ${seen.sessions.join(', ') || 'none'} (and ${OBSERVER}, the direct connection)`,
    );
  }
  if (onObserver && !runsOnObserver(st.kind)) at(['session'], `the observer only runs ${STEP_KIND_NAMES.filter(runsOnObserver).join(' and ')}`);
  if (!onObserver && def.on === 'observer') at(['session'], `${st.kind} runs on the observer (session: ${OBSERVER})`);
  if (st.background && !def.background)
    at(['background'], `only ${STEP_KIND_NAMES.filter((k) => STEP_KINDS[k].background).join(', ')} can run in the background`);
  for (const p of def.check?.(st, seen) ?? []) at(p.path, p.message);
  if (!def.checksEndedSession && !onObserver && seen.ended.has(st.session))
    at(['session'], `session ${st.session} is gone by then (disconnected, or its login abandoned)`);
  for (const ref of savedRefs(st)) {
    if (!seen.saved.has(ref.name)) at(ref.path, `$${ref.name} is used before any step saves it${didYouMean(ref.name, [...seen.saved])}`);
  }
  return problems;
}

/** The value at `path` inside `v`, if there is one. */
const at = (v: unknown, path: readonly string[]): unknown => path.reduce<unknown>((x, k) => (isRecord(x) ? x[k] : undefined), v);

/**
 * Saved values a step reads, each where it is read: {{$v}} inside the text its kind expands,
 * a whole '$v' where its kind (or an expectation) takes a saved value, a name where its kind
 * names one (step-kinds.ts `savedRefs`).
 */
function savedRefs(st: Step): Array<{ readonly name: string; readonly path: Path }> {
  const out: Array<{ name: string; path: Path }> = [];
  const visit = (v: unknown, path: Path, how: 'text' | 'whole' | 'name'): void => {
    if (typeof v === 'string') {
      if (how === 'name') {
        out.push({ name: v.replace(/^\$/, ''), path });
        return;
      }
      for (const m of v.matchAll(/\{\{\$(\w+)\}\}/g)) out.push({ name: m[1], path });
      if (how === 'whole' && /^\$\w+$/.test(v)) out.push({ name: v.slice(1), path });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, [...path, i], how));
    } else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) visit(x, [...path, k], how);
    }
  };
  const fields = STEP_KINDS[st.kind].savedRefs as SavedRefFields<StepKind>;
  for (const how of ['text', 'whole', 'name'] as const) for (const path of fields[how] ?? []) visit(at(st, path), path, how);
  visit(st.expect, ['expect'], 'whole');
  return out;
}

/**
 * What sessions say about the scenario's own roles and databases (scenario-objects.ts): the
 * ones they name exist in the scenario, a session logs in as one role only, and a session on a
 * database of its own has no single pool (the pooler serves it through a catch-all entry).
 */
function objectProblems(spec: ScenarioSpec): Problem[] {
  const problems: Problem[] = [];
  const roles = isRecord(spec.roles) ? Object.keys(spec.roles) : [];
  const databases = isRecord(spec.databases) ? Object.keys(spec.databases) : [];
  for (const key of roles.filter((k) => databases.includes(k)))
    problems.push({ path: ['databases', key], message: `"${key}" names a role too: {{${key}}} would be both` });
  if (!isRecord(spec.sessions)) return problems;
  for (const [name, session] of Object.entries(spec.sessions)) {
    if (!isRecord(session)) continue;
    const at = (key: string, message: string) => problems.push({ path: ['sessions', name, key], message });
    if (typeof session.role === 'string' && !roles.includes(session.role))
      at(
        'role',
        `role "${session.role}" is not one of the scenario's roles${didYouMean(session.role, roles)}; declared: ${roles.join(', ') || 'none'}`,
      );
    if (typeof session.database === 'string' && !databases.includes(session.database))
      at(
        'database',
        `database "${session.database}" is not one of the scenario's databases${didYouMean(session.database, databases)}; declared: ${databases.join(', ') || 'none'}`,
      );
    if (session.role !== undefined && session.user !== undefined)
      at('user', "a session logs in as `role` (one of the scenario's) or as `user` (a fixed one), not both");
    const pool = session.pool ?? spec.pool;
    if (session.database !== undefined && pool === 'single')
      at(
        'database',
        "a session on one of the scenario's databases connects through the pooler's entry for databases it does not list, in the wide pool: say `pool: wide`",
      );
  }
  return problems;
}

/** A known issue's modes must be modes its pooler has, where poolcheck knows the pooler. */
function knownModeProblems(spec: ScenarioSpec): Problem[] {
  if (!Array.isArray(spec.known)) return [];
  return (spec.known as readonly unknown[]).flatMap((k, i) => {
    const modes = isRecord(k) && typeof k.pooler === 'string' ? findPooler(k.pooler)?.modes : undefined;
    if (!modes || !isRecord(k) || !Array.isArray(k.modes)) return [];
    return (k.modes as unknown[]).flatMap((m, j): Problem[] =>
      typeof m !== 'string' || modes.includes(m)
        ? []
        : [
            {
              path: ['known', i, 'modes', j],
              message: `${String(k.pooler)} has no mode "${m}"${didYouMean(m, modes)}; its modes: ${modes.join(', ')}`,
            },
          ],
    );
  });
}
