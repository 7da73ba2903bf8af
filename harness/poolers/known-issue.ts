// A case that knows where its bug lives: the poolers, modes, releases (settings, drivers) where
// the reported bug shows, with the reason and the issue's link. Each becomes a profile entry
// for that one scenario, merged into the pooler's profile, so a case is judged exactly as the
// built-in scenarios are (report/verdict.ts judge()): documented where the bug is known,
// improved where it is known but did not show, and any other divergence as usual.
import type { Profile, ProfileEntry } from './profile.ts';

export interface KnownIssue extends Omit<ProfileEntry, 'scenarios' | 'traits'> {
  /** The pooler id (pgbouncer, pgpool, odyssey, or one a profile file describes). */
  readonly pooler: string;
  /** The pooling modes it shows in; without it, every mode of the pooler's profile. */
  readonly modes?: readonly string[];
}

/** A scenario's id and what it knows, as the catalogue hands it over. */
export interface KnowingScenario {
  readonly id: string;
  readonly known?: readonly KnownIssue[];
}

/**
 * The profile with the cases' known issues for this pooler added, each an entry naming only
 * its case (the most specific naming there is, so it wins over a profile's globs). A pooler
 * without a profile stays without one: nothing is expected of it, known issues or not.
 */
export function withKnownIssues(profile: Profile | undefined, cases: readonly KnowingScenario[]): Profile | undefined {
  if (!profile) return profile;
  const modes: Record<string, ProfileEntry[]> = Object.fromEntries(Object.entries(profile.modes).map(([m, entries]) => [m, [...entries]]));
  let added = 0;
  for (const c of cases) {
    for (const { pooler, modes: only, source, ...rest } of c.known ?? []) {
      if (pooler !== profile.pooler) continue;
      const entry: ProfileEntry = { ...rest, scenarios: [c.id], source: source ?? 'issue' };
      for (const mode of only ?? Object.keys(profile.modes)) {
        (modes[mode] ??= []).push(entry);
        added++;
      }
    }
  }
  return added ? { ...profile, modes } : profile;
}
