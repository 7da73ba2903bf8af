// Whether a driver runs a scenario at all, decided from the data alone, before any server is
// touched: a run the driver cannot do, or one whose wire traffic would be another driver's.
import type { Driver } from '../drivers/session.ts';
import { missingCapabilities } from './capabilities.ts';
import { OBSERVER, type Scenario } from './model.ts';
import type { TargetSpec } from '../targets/target-spec.ts';

/** Why `driver` does not run `s` (its result would be `skip`), or undefined when it does. */
export function skipReason(s: Scenario, driver: Driver): string | undefined {
  const missing = missingCapabilities(s, driver);
  if (missing.length) return `driver ${driver.id} lacks ${missing.join(', ')}`;
  const same = driver.sameWireAs;
  if (same && mostRepeatedStatement(s) < same.executions) {
    return `driver ${driver.id} sends what ${same.base} sends here: no statement runs ${same.executions} times on one connection (see ${same.base})`;
  }
  return undefined;
}

/**
 * Why `s` does not run on `target` (its pooler runs other values of the settings the scenario
 * needs), or undefined when it does. `effective` are the settings the target runs with.
 */
export function settingsSkipReason(s: Scenario, target: TargetSpec, effective: Readonly<Record<string, string>>): string | undefined {
  const need = target.pooler ? s.poolerSettings?.[target.pooler] : undefined;
  if (!need) return undefined;
  const off = Object.entries(need).filter(([k, v]) => effective[k] !== v);
  if (!off.length) return undefined;
  const wanted = Object.entries({ ...target.settings, ...need })
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `needs ${off.map(([k, v]) => `${k}=${v}`).join(', ')} (this target runs ${off.map(([k]) => `${k}=${effective[k] ?? 'none'}`).join(', ')}): run it with --targets '${target.pooler}:${target.mode}{${wanted}}'`;
}

/** The most times one session runs the same SQL text (a driver's prepare threshold counts these). */
export function mostRepeatedStatement(s: Scenario): number {
  const counts = new Map<string, number>();
  for (const st of s.steps) {
    if (st.session === OBSERVER || st.kind !== 'sql') continue;
    const key = `${st.session}\0${st.sql}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}
