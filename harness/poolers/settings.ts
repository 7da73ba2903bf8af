// Pooler settings a target names (`pgbouncer:transaction{max_prepared_statements=0}`): which an
// adapter knows, for which releases, what each release defaults to (so that a profile entry can
// say "when prepared-statement tracking is off" whatever the target named), and which ones a
// default certification runs both ways.
import { inRange } from '../kernel/versions.ts';
import type { ConfigSyntax } from './config-syntax.ts';
import { settingHolds, type SettingCondition } from './profile.ts';

export interface SettingSpec {
  readonly help: string;
  /** The releases that have the setting; naming it for another release is a usage error. */
  readonly versions?: string;
  /**
   * The release's own value when the target names none: the first entry whose conditions hold
   * (a release range, pooling modes, other settings' values, as Odyssey derives its discard
   * options from prepared-statement support); where none holds (a release before the setting
   * existed) the first entry's value is what that release behaves like.
   */
  readonly defaults: readonly SettingDefault[];
  /** The problem with a value, if any. */
  check?(value: string): string | undefined;
  /**
   * A feature switch: a default certification runs these modes with the release's default and
   * again with the opposite value, as a target of its own.
   */
  readonly toggle?: { readonly off: string; readonly on: string; readonly modes: readonly string[] };
}

export interface SettingDefault {
  readonly value: string;
  readonly versions?: string;
  readonly modes?: readonly string[];
  /** Other settings' effective values this default holds for. */
  readonly when?: Readonly<Record<string, SettingCondition>>;
}

export type SettingSpecs = Readonly<Record<string, SettingSpec>>;

/** A value as messages show it: quoted and escaped when it holds what would not read as itself on one line. */
// eslint-disable-next-line no-control-regex
const shown = (v: string) => (/[\u0000-\u001f\u007f"\\]/.test(v) || v !== v.trim() ? JSON.stringify(v) : v);

/**
 * Why these settings cannot be used with this release (unknown name, a value the config file
 * cannot hold as written, the release, the value), or undefined.
 */
export function settingsProblem(
  pooler: string,
  specs: SettingSpecs,
  settings: Readonly<Record<string, string>>,
  version: string | null,
  syntax: ConfigSyntax,
): string | undefined {
  for (const [name, value] of Object.entries(settings)) {
    const spec = specs[name];
    if (!spec) return `${pooler} has no setting "${name}" poolcheck can render; known: ${Object.keys(specs).join(', ') || 'none'}`;
    const unwritable = syntax.problem(value);
    if (unwritable) return `${pooler} setting ${name}=${shown(value)} cannot be written as ${syntax.describe}: ${unwritable}`;
    if (spec.versions && version && !inRange(version, spec.versions)) return `${pooler} ${version} has no ${name} (it exists in ${spec.versions})`;
    const bad = spec.check?.(value);
    if (bad) return `${pooler} setting ${name}=${shown(value)}: ${bad}`;
  }
  return undefined;
}

/** Every known setting's value for this release, mode and target: the target's, else the release's default. */
export function effectiveSettings(
  specs: SettingSpecs,
  settings: Readonly<Record<string, string>>,
  version: string | null,
  mode: string | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  // Defaults may read other settings (`when`); the spec table has no cycles, so depth-first is enough.
  const valueOf = (name: string): string => {
    if (name in out) return out[name];
    const spec = specs[name];
    const holds = (d: SettingDefault) =>
      (!d.versions || inRange(version, d.versions)) &&
      (!d.modes || (mode !== null && d.modes.includes(mode))) &&
      Object.entries(d.when ?? {}).every(([other, c]) => settingHolds(valueOf(other), c));
    return (out[name] = settings[name] ?? (spec.defaults.find(holds) ?? spec.defaults[0]).value);
  };
  for (const name of Object.keys(specs)) valueOf(name);
  return out;
}

/**
 * The extra settings a default certification runs `mode` with: for each feature switch the
 * release has, the value opposite its default.
 */
export function toggledSettings(specs: SettingSpecs, mode: string, version: string | null): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec.toggle || !spec.toggle.modes.includes(mode) || (spec.versions && !inRange(version, spec.versions))) continue;
    const current = effectiveSettings(specs, {}, version, mode)[name];
    out.push({ [name]: current === spec.toggle.off ? spec.toggle.on : spec.toggle.off });
  }
  return out;
}

export const wholeNumber = (v: string): string | undefined => (/^\d+$/.test(v) ? undefined : 'expected a whole number');
export const boolean01 = (v: string): string | undefined => (/^[01]$/.test(v) ? undefined : 'expected 0 or 1');
