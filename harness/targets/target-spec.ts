import { knownPooler, knownPoolerIds } from '../poolers/known-poolers.ts';

/** One database plus, optionally, one pooler in one mode: `direct`, `pgbouncer:transaction`. */
export interface TargetSpec {
  readonly id: string;
  readonly pooler: string | null;
  readonly mode: string | null;
}

export const DIRECT: TargetSpec = { id: 'direct', pooler: null, mode: null };

/** `<pooler>[:<mode>]`; a pooler named without a mode runs in its own default (first) mode. */
export function parseTarget(text: string): TargetSpec {
  const t = text.trim();
  if (t === 'direct') return DIRECT;
  const [pooler, mode, extra] = t.split(':');
  if (extra !== undefined) throw new Error(`bad target "${t}": expected <pooler>[:<mode>]`);
  let adapter;
  try {
    adapter = knownPooler(pooler);
  } catch {
    throw new Error(`unknown target "${t}"; known poolers: direct, ${knownPoolerIds.join(', ')} (e.g. pgbouncer:transaction)`);
  }
  const m = mode ?? adapter.modes[0];
  if (!adapter.modes.includes(m)) throw new Error(`unknown mode "${m}" for ${pooler}; its modes: ${adapter.modes.join(', ')}`);
  return { id: `${pooler}:${m}`, pooler, mode: m };
}

/** Parses a comma list; `direct` is always first because it is the baseline. */
export function parseTargets(list: string): TargetSpec[] {
  const specs = list.split(',').filter((s) => s.trim()).map(parseTarget);
  const out = [DIRECT, ...specs.filter((s) => s.id !== 'direct')];
  return out.filter((s, i) => out.findIndex((o) => o.id === s.id) === i);
}

export function allTargetIds(): string[] {
  return ['direct', ...knownPoolerIds.flatMap((p) => knownPooler(p).modes.map((m) => `${p}:${m}`))];
}
