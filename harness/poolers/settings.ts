// Pooler settings a target names (`pgbouncer:transaction{max_prepared_statements=0}`): which an
// adapter knows, for which releases, what each release defaults to (so that a profile entry can
// say "when prepared-statement tracking is off" whatever the target named), and which ones a
// default certification runs both ways.
import { inRange } from '../kernel/versions.ts';

export interface SettingSpec {
  readonly help: string;
  /** The releases that have the setting; naming it for another release is a usage error. */
  readonly versions?: string;
  /**
   * The release's own value when the target names none, by version range (first match); where
   * no range matches (a release before the setting existed) the first entry's value is what
   * that release behaves like.
   */
  readonly defaults: ReadonlyArray<{ readonly versions: string; readonly value: string }>;
  /** The problem with a value, if any. */
  check?(value: string): string | undefined;
  /**
   * A feature switch: a default certification runs these modes with the release's default and
   * again with the opposite value, as a target of its own.
   */
  readonly toggle?: { readonly off: string; readonly on: string; readonly modes: readonly string[] };
}

export type SettingSpecs = Readonly<Record<string, SettingSpec>>;

/** Why these settings cannot be used with this release (unknown name, value, release), or undefined. */
export function settingsProblem(pooler: string, specs: SettingSpecs, settings: Readonly<Record<string, string>>, version: string | null): string | undefined {
  for (const [name, value] of Object.entries(settings)) {
    const spec = specs[name];
    if (!spec) return `${pooler} has no setting "${name}" poolcheck can render; known: ${Object.keys(specs).join(', ') || 'none'}`;
    if (spec.versions && version && !inRange(version, spec.versions)) return `${pooler} ${version} has no ${name} (it exists in ${spec.versions})`;
    const bad = spec.check?.(value);
    if (bad) return `${pooler} setting ${name}=${value}: ${bad}`;
  }
  return undefined;
}

/** Every known setting's value for this release and target: the target's, else the release's default. */
export function effectiveSettings(specs: SettingSpecs, settings: Readonly<Record<string, string>>, version: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = settings[name] ?? (spec.defaults.find((d) => inRange(version, d.versions)) ?? spec.defaults[0]).value;
  }
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
    const current = effectiveSettings(specs, {}, version)[name];
    out.push({ [name]: current === spec.toggle.off ? spec.toggle.on : spec.toggle.off });
  }
  return out;
}

export const wholeNumber = (v: string): string | undefined => (/^\d+$/.test(v) ? undefined : 'expected a whole number');
export const boolean01 = (v: string): string | undefined => (/^[01]$/.test(v) ? undefined : 'expected 0 or 1');
