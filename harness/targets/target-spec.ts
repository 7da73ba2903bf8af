import { splitList } from '../kernel/lists.ts';
import { knownPooler, knownPoolerIds } from '../poolers/known-poolers.ts';

/**
 * One database plus, optionally, one pooler in one mode with some of its settings:
 * `direct`, `pgbouncer:transaction`, `pgbouncer:transaction{max_prepared_statements=0}`.
 * Settings are part of the target: each combination is a target of its own in every report.
 */
export interface TargetSpec {
  readonly id: string;
  readonly pooler: string | null;
  readonly mode: string | null;
  /** Pooler settings the target names (the adapter renders them), in the id's order. */
  readonly settings: Readonly<Record<string, string>>;
}

export const DIRECT: TargetSpec = { id: 'direct', pooler: null, mode: null, settings: {} };

const SETTINGS = /^([^{}]*)\{([^{}]*)\}$/;
const NAME = /^[a-z_][a-z0-9_.]*$/i;

/** `{a=1,b=2}` -> entries; names are the pooler's own config names. */
function parseSettings(target: string, text: string): Array<[string, string]> {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (eq <= 0 || !NAME.test(name) || !value || /[{},]/.test(value)) throw new Error(`bad setting "${pair}" in target "${target}": expected {name=value,...}, e.g. pgbouncer:transaction{max_prepared_statements=0}`);
    return [name, value];
  });
}

/** The target's id: pooler:mode, then the settings sorted by name. */
export function targetId(pooler: string, mode: string, settings: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
  return `${pooler}:${mode}${pairs.length ? `{${pairs.map(([k, v]) => `${k}=${v}`).join(',')}}` : ''}`;
}

/** `<pooler>[:<mode>][{name=value,...}]`; a pooler named without a mode runs in its own default (first) mode. */
export function parseTarget(text: string): TargetSpec {
  const t = text.trim();
  if (t === 'direct') return DIRECT;
  const braces = SETTINGS.exec(t);
  if (!braces && /[{}]/.test(t)) throw new Error(`bad target "${t}": settings go in one pair of braces at the end, e.g. pgbouncer:transaction{max_prepared_statements=0}`);
  const [head, settingsText] = braces ? [braces[1], braces[2]] : [t, ''];
  const [pooler, mode, extra] = head.split(':');
  if (extra !== undefined) throw new Error(`bad target "${t}": expected <pooler>[:<mode>][{name=value,...}]`);
  let known;
  try {
    known = knownPooler(pooler);
  } catch {
    throw new Error(`unknown target "${t}"; known poolers: direct, ${knownPoolerIds.join(', ')} (e.g. pgbouncer:transaction)`);
  }
  const m = mode ?? known.modes[0];
  if (!known.modes.includes(m)) throw new Error(`unknown mode "${m}" for ${pooler}; its modes: ${known.modes.join(', ')}`);
  const settings = Object.fromEntries(parseSettings(t, settingsText));
  return { id: targetId(pooler, m, settings), pooler, mode: m, settings };
}

/** Parses a comma list; `direct` is always first because it is the baseline. */
export function parseTargets(list: string): TargetSpec[] {
  const specs = splitList(list).map(parseTarget);
  const out = [DIRECT, ...specs.filter((s) => s.id !== 'direct')];
  return out.filter((s, i) => out.findIndex((o) => o.id === s.id) === i);
}

export function allTargetIds(): string[] {
  return ['direct', ...knownPoolerIds.flatMap((p) => knownPooler(p).modes.map((m) => `${p}:${m}`))];
}
