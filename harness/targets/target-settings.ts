// A target's pooler settings checked against the release that will run, before anything
// starts, and the extra targets a default certification adds for the release's feature switches.
import { findPooler } from '../poolers/known-poolers.ts';
import type { TargetFacts } from '../poolers/profile.ts';
import { effectiveSettings, settingsProblem, toggledSettings } from '../poolers/settings.ts';
import { targetId, type TargetSpec } from './target-spec.ts';

/** The first problem with the targets' settings for these releases, in one line; undefined when none. */
export function targetSettingsProblem(targets: readonly TargetSpec[], versionOf: (pooler: string) => string | null): string | undefined {
  for (const t of targets) {
    if (!t.pooler || !Object.keys(t.settings).length) continue;
    const adapter = findPooler(t.pooler)?.adapter;
    // A pooler known only as a profile: its settings are what the user says it runs with.
    if (!adapter) continue;
    const problem = settingsProblem(t.pooler, adapter.settings, t.settings, versionOf(t.pooler), adapter.settingSyntax);
    if (problem) return `target ${t.id}: ${problem}`;
  }
  return undefined;
}

/** The targets, each followed by the same pooler and mode with a feature switch the other way. */
export function withToggledSettings(targets: readonly TargetSpec[], versionOf: (pooler: string) => string | null): TargetSpec[] {
  return targets.flatMap((t) => {
    const adapter = t.pooler ? findPooler(t.pooler)?.adapter : undefined;
    if (!adapter || !t.pooler || !t.mode || Object.keys(t.settings).length) return [t];
    const pooler = t.pooler;
    const mode = t.mode;
    const extra = toggledSettings(adapter.settings, mode, versionOf(pooler)).map((settings): TargetSpec => ({
      id: targetId(pooler, mode, settings),
      pooler,
      mode,
      settings,
    }));
    return [t, ...extra.filter((x) => !targets.some((y) => y.id === x.id))];
  });
}

/** Every setting the adapter knows, as this release runs it for this target. */
export function targetEffectiveSettings(t: TargetSpec, version: string | null): Record<string, string> {
  const adapter = t.pooler ? findPooler(t.pooler)?.adapter : undefined;
  return adapter ? effectiveSettings(adapter.settings, t.settings, version, t.mode) : { ...t.settings };
}

/**
 * What a target runs, decided once when it starts (a target that did not start: its release
 * unknown): every condition of a profile entry is read from these.
 */
export function targetFacts(t: TargetSpec, poolerVersion: string | null, postgresVersion: string | null): TargetFacts {
  return { mode: t.mode, version: poolerVersion, postgresVersion, settings: targetEffectiveSettings(t, poolerVersion) };
}
