// A case that knows where its bug lives: the poolers, modes, releases (settings, drivers) where
// the reported bug shows, with the reason and the issue's link. Each becomes a profile entry
// for that one scenario, merged into the pooler's profile, so a case is judged exactly as the
// built-in scenarios are (report/verdict.ts judge()): documented where the bug is known,
// improved where it is known but did not show, and any other divergence as usual.
import type { KnownPooler } from './known-poolers.ts';
import type { Profile, ProfileEntry } from './profile.ts';

export interface KnownIssue extends Omit<ProfileEntry, 'scenarios' | 'traits'> {
  /** The pooler id (pgbouncer, pgpool, odyssey, or one a profile file describes). */
  readonly pooler: string;
  /** The pooling modes it shows in; without it, every mode of the pooler. */
  readonly modes?: readonly string[];
}

/** A scenario's id and what it knows, as the catalogue hands it over. */
export interface KnowingScenario {
  readonly id: string;
  readonly known?: readonly KnownIssue[];
}

/**
 * The pooler's profile with the cases' known issues for it added, each an entry naming only
 * its case (the most specific naming there is, so it wins over a profile's globs). A pooler
 * poolcheck has no profile for stays without one: nothing is expected of it, known issues or not.
 */
export function withKnownIssues(pooler: KnownPooler | undefined, cases: readonly KnowingScenario[]): Profile | undefined {
  if (!pooler) return undefined;
  const { profile } = pooler;
  const modes: Record<string, ProfileEntry[]> = Object.fromEntries(Object.entries(profile.modes).map(([m, entries]) => [m, [...entries]]));
  let added = 0;
  for (const c of cases) {
    for (const { pooler: id, modes: only, source, ...rest } of c.known ?? []) {
      if (id !== pooler.id) continue;
      const entry: ProfileEntry = { ...rest, scenarios: [c.id], source: source ?? 'issue' };
      for (const mode of only ?? pooler.modes) {
        (modes[mode] ??= []).push(entry);
        added++;
      }
    }
  }
  return added ? { ...profile, modes } : profile;
}
