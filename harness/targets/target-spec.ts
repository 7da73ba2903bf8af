import { splitList } from '../kernel/lists.ts';
import { findPooler, knownPooler, knownPoolerIds } from '../poolers/known-poolers.ts';
import type { Profile } from '../poolers/profile.ts';

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
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (eq <= 0 || !NAME.test(name) || !value || /[{},]/.test(value))
        throw new Error(
          `bad setting "${pair}" in target "${target}": expected {name=value,...}, e.g. pgbouncer:transaction{max_prepared_statements=0}`,
        );
      return [name, value];
    });
}

/** The target's id: pooler:mode, then the settings sorted by name. */
export function targetId(pooler: string, mode: string, settings: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
  return `${pooler}:${mode}${pairs.length ? `{${pairs.map(([k, v]) => `${k}=${v}`).join(',')}}` : ''}`;
}

export interface TargetParsing {
  /** Profiles from files (--profile): their poolers and modes are known too. */
  readonly profiles?: readonly Profile[];
  /** Any pooler name is taken, with its mode as given (--provider external: a pooler poolcheck never heard of). */
  readonly anyPooler?: boolean;
}

// A target's text goes into config files (its settings), file names and one-line messages: a
// line break or another control character in it could end any of them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `<pooler>[:<mode>][{name=value,...}]`; a pooler named without a mode runs in its own default (first) mode. */
export function parseTarget(text: string, opts: TargetParsing = {}): TargetSpec {
  const t = text.trim();
  if (CONTROL.test(t))
    throw new Error(`bad target ${JSON.stringify(t)}: it holds a line break or another control character, which no setting value may hold`);
  if (t === 'direct') return DIRECT;
  const braces = SETTINGS.exec(t);
  if (!braces && /[{}]/.test(t))
    throw new Error(`bad target "${t}": settings go in one pair of braces at the end, e.g. pgbouncer:transaction{max_prepared_statements=0}`);
  const [head, settingsText] = braces ? [braces[1], braces[2]] : [t, ''];
  const [pooler, mode, extra] = head.split(':');
  if (extra !== undefined) throw new Error(`bad target "${t}": expected <pooler>[:<mode>][{name=value,...}]`);
  const settings = Object.fromEntries(parseSettings(t, settingsText));
  const known = findPooler(pooler, opts.profiles);
  if (!known) {
    if (!opts.anyPooler)
      throw new Error(
        `unknown target "${t}"; known poolers: direct, ${knownPoolerIds.join(', ')} (e.g. pgbouncer:transaction; any pooler can be certified with --provider external)`,
      );
    if (!/^[a-z][a-z0-9-]*$/.test(pooler) || !mode || !/^[a-z][a-z0-9_-]*$/.test(mode))
      throw new Error(`bad target "${t}": a pooler poolcheck does not know is named <pooler>:<mode>, both in lower case (e.g. mypooler:transaction)`);
    return { id: targetId(pooler, mode, settings), pooler, mode, settings };
  }
  const m = mode ?? known.modes[0];
  if (!known.modes.includes(m)) throw new Error(`unknown mode "${m}" for ${pooler}; its modes: ${known.modes.join(', ')}`);
  return { id: targetId(pooler, m, settings), pooler, mode: m, settings };
}

/** Parses a comma list; `direct` is always first because it is the baseline. */
export function parseTargets(list: string, opts: TargetParsing = {}): TargetSpec[] {
  const specs = splitList(list).map((t) => parseTarget(t, opts));
  const out = [DIRECT, ...specs.filter((s) => s.id !== 'direct')];
  return out.filter((s, i) => out.findIndex((o) => o.id === s.id) === i);
}

export function allTargetIds(): string[] {
  return ['direct', ...knownPoolerIds.flatMap((p) => knownPooler(p).modes.map((m) => `${p}:${m}`))];
}
