// A scenario is checked once, when the catalogue loads it (as PostgreSQL's isolation tester
// checks a spec before running it), and each step is tagged with its kind on the way.
import { CAPABILITIES } from '../drivers/session.ts';
import { MESSAGE_NAMES } from '../wire/messages.ts';
import { CATEGORIES, OBSERVER, type Scenario, type ScenarioSpec, type Step, type StepKind, type StepSpec } from './model.ts';
import { STEP_KINDS } from './step-kinds.ts';

export type Checked =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly problems: readonly string[] };

const KINDS = Object.keys(STEP_KINDS) as StepKind[];

/** The one kind a step's data names, or why it names none or several. */
export function stepKind(st: StepSpec): { readonly kind: StepKind } | { readonly problem: string } {
  const present = KINDS.filter((k) => (st as unknown as Record<string, unknown>)[k] !== undefined);
  if (present.length === 1) return { kind: present[0] };
  return { problem: `a step needs exactly one action (${KINDS.join(', ')}); found ${present.length ? present.join(' and ') : 'none'}` };
}

/** Checks a scenario as written and tags its steps; every problem names its step. */
export function checkScenario(spec: ScenarioSpec, source: string): Checked {
  const problems = scenarioProblems(spec);
  const steps: Step[] = [];
  const saved = new Set<string>();
  const background = new Map<string, string>();
  const sessions = new Set(Object.keys(spec.sessions ?? {}));
  const specSteps: readonly StepSpec[] = Array.isArray(spec.steps) ? spec.steps : [];
  specSteps.forEach((st, i) => {
    const found = stepKind(st);
    const where = `step ${i + 1}`;
    if ('problem' in found) { problems.push(`${where}: ${found.problem}`); return; }
    const step = { ...st, kind: found.kind } as Step;
    problems.push(...stepProblems(step, sessions, saved, background).map((p) => `${where}: ${p}`));
    if (st.background) background.set(st.background, st.session);
    if (st.save) saved.add(st.save);
    if (st.savePid) saved.add(st.savePid);
    steps.push(step);
  });
  const awaited = new Set(steps.flatMap((st) => (st.kind === 'await' ? [st.await] : [])));
  for (const name of background.keys()) if (!awaited.has(name)) problems.push(`background step "${name}" is never awaited`);
  return problems.length ? { ok: false, problems } : { ok: true, scenario: { ...spec, steps, source } };
}

function scenarioProblems(s: ScenarioSpec): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(s.id ?? '')) problems.push(`id "${s.id}" must look like <category>/<name> in lower-case-with-dashes`);
  if (!CATEGORIES.includes(s.category)) problems.push(`category "${s.category}" is not one of ${CATEGORIES.join(', ')}`);
  if (s.id && s.category && !s.id.startsWith(`${s.category}/`)) problems.push(`id "${s.id}" must start with its category "${s.category}/"`);
  if (!s.why?.trim()) problems.push('`why` is required: the user-visible consequence in one line');
  if (s.pool !== 'single' && s.pool !== 'wide') problems.push(`pool must be "single" or "wide", not ${JSON.stringify(s.pool)}`);
  for (const c of s.needs ?? []) if (!(c in CAPABILITIES)) problems.push(`needs: unknown capability "${c}"; known: ${Object.keys(CAPABILITIES).join(', ')}`);
  if (OBSERVER in (s.sessions ?? {})) problems.push(`"${OBSERVER}" is reserved for the direct ground-truth connection`);
  if (!Array.isArray(s.steps) || !s.steps.length) problems.push('a scenario needs steps');
  return problems;
}

function stepProblems(st: Step, sessions: ReadonlySet<string>, saved: ReadonlySet<string>, background: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const def = STEP_KINDS[st.kind];
  const onObserver = st.session === OBSERVER;
  if (!onObserver && !sessions.has(st.session)) problems.push(`unknown session "${st.session}"; declared: ${[...sessions].join(', ')}`);
  if (onObserver && !('observe' in def && def.observe)) problems.push(`the observer only runs ${KINDS.filter((k) => 'observe' in STEP_KINDS[k]).join(' and ')}`);
  if (!onObserver && def.on === 'observer') problems.push(`${st.kind} runs on the observer`);
  if (st.background && !def.background) problems.push(`only ${KINDS.filter((k) => STEP_KINDS[k].background).join(', ')} can run in the background`);
  if (st.kind === 'await') {
    const owner = background.get(st.await);
    if (!owner) problems.push(`await "${st.await}" names no earlier background step`);
    else if (owner !== st.session) problems.push(`await "${st.await}" must be on session ${owner}`);
  }
  if (st.kind === 'messages' && !st.messages.some((m) => m.type === 'Sync' || m.type === 'Query' || m.type === 'Terminate') && !st.until) {
    problems.push('a message list without Sync needs `until` (the reply to wait for)');
  }
  if (st.kind === 'messages' && st.until && !(MESSAGE_NAMES as readonly string[]).includes(st.until)) problems.push(`until: unknown message "${st.until}"`);
  for (const label of st.expect?.messages ?? []) {
    if (!(MESSAGE_NAMES as readonly string[]).includes(label.split(':')[0])) problems.push(`expect.messages: unknown message "${label}"; known: ${MESSAGE_NAMES.join(', ')}`);
  }
  for (const r of savedRefs(st)) if (!saved.has(r)) problems.push(`$${r} is used before any step saves it`);
  return problems;
}

/** Saved values a step reads: {{$v}} inside text, or a whole expected value '$v'. */
export function savedRefs(st: StepSpec): string[] {
  const inText = JSON.stringify([st.sql, 'params' in st ? st.params : undefined, st.named, st.messages, st.waitFor?.sql]).match(/\{\{\$(\w+)\}\}/g) ?? [];
  const whole: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && /^\$\w+$/.test(v)) whole.push(v.slice(1));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit([st.expect, st.waitFor?.rows, st.cancel]);
  return [...inText.map((r) => r.slice(3, -2)), ...whole];
}
