import { CAPABILITIES } from '../drivers/session.ts';
import { actionOf, CATEGORIES, OBSERVER, type Scenario, type Step } from './model.ts';

/** Problems that make a scenario unrunnable, each naming the step. Empty when valid. */
export function validateScenario(s: Scenario): string[] {
  const problems: string[] = [];
  const where = (i: number) => `step ${i + 1}`;
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(s.id ?? '')) problems.push(`id "${s.id}" must look like <category>/<name> in lower-case-with-dashes`);
  if (!CATEGORIES.includes(s.category)) problems.push(`category "${s.category}" is not one of ${CATEGORIES.join(', ')}`);
  if (s.id && s.category && !s.id.startsWith(`${s.category}/`)) problems.push(`id "${s.id}" must start with its category "${s.category}/"`);
  if (!s.why?.trim()) problems.push('`why` is required: the user-visible consequence in one line');
  if (s.pool !== 'single' && s.pool !== 'wide') problems.push(`pool must be "single" or "wide", not "${s.pool}"`);
  for (const c of s.needs ?? []) if (!(c in CAPABILITIES)) problems.push(`needs: unknown capability "${c}"; known: ${Object.keys(CAPABILITIES).join(', ')}`);
  const sessions = new Set(Object.keys(s.sessions ?? {}));
  if (sessions.has(OBSERVER)) problems.push(`"${OBSERVER}" is reserved for the direct ground-truth connection`);
  if (!s.steps?.length) problems.push('a scenario needs steps');
  const saved = new Set<string>();
  const background = new Map<string, string>();
  (s.steps ?? []).forEach((st, i) => {
    let action;
    try { action = actionOf(st); } catch (e) { problems.push(`${where(i)}: ${(e as Error).message}`); return; }
    if (st.session !== OBSERVER && !sessions.has(st.session)) problems.push(`${where(i)}: unknown session "${st.session}"; declared: ${[...sessions].join(', ')}`);
    if (st.session === OBSERVER && !['sql', 'waitFor'].includes(action)) problems.push(`${where(i)}: the observer only runs sql and waitFor`);
    if (action === 'waitFor' && st.session !== OBSERVER) problems.push(`${where(i)}: waitFor runs on the observer`);
    if (st.background && !['sql', 'named', 'messages'].includes(action)) problems.push(`${where(i)}: only sql, named and messages can run in the background`);
    if (st.background) background.set(st.background, st.session);
    if (action === 'await') {
      const owner = background.get(st.await!);
      if (!owner) problems.push(`${where(i)}: await "${st.await}" names no earlier background step`);
      else if (owner !== st.session) problems.push(`${where(i)}: await "${st.await}" must be on session ${owner}`);
    }
    if (action === 'messages' && !st.messages!.some((m) => m.type === 'Sync' || m.type === 'Query' || m.type === 'Terminate') && !st.until) {
      problems.push(`${where(i)}: a message list without Sync needs \`until\` (the reply to wait for)`);
    }
    for (const r of savedRefs(st)) if (!saved.has(r)) problems.push(`${where(i)}: $${r} is used before any step saves it`);
    if (st.save) saved.add(st.save);
    if (st.savePid) saved.add(st.savePid);
  });
  return problems;
}

/** Saved values a step reads: {{$v}} inside text, or a whole expected value '$v'. */
export function savedRefs(st: Step): string[] {
  const inText = JSON.stringify([st.sql, st.params, st.named, st.messages, st.waitFor?.sql]).match(/\{\{\$(\w+)\}\}/g) ?? [];
  const whole: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && /^\$\w+$/.test(v)) whole.push(v.slice(1));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit([st.expect, st.waitFor?.rows, st.cancel]);
  return [...inText.map((r) => r.slice(3, -2)), ...whole];
}
