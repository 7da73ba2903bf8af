import type { DriverId } from '../drivers/registry.ts';
import { matchesId } from '../kernel/id-glob.ts';
import type { Trait } from '../kernel/traits.ts';

/**
 * What a pooler's documentation says will differ from PostgreSQL, per mode. An entry names
 * scenarios (an id or a glob over ids), why they diverge, and where that is written down.
 * Anything not listed is expected to behave like PostgreSQL.
 */
export interface ProfileEntry {
  /** Scenario ids or globs; or, with `traits`, leave empty. */
  readonly scenarios: string | readonly string[];
  /** Also every scenario with one of these traits (harness/scenario/traits.ts). */
  readonly traits?: readonly Trait[];
  readonly reason: string;
  readonly link: string;
  /**
   * Where the expectation comes from: the pooler's documentation (the default), an issue in
   * its tracker, or a defect poolcheck observed that neither describes (then `link` points at
   * the PostgreSQL behaviour the pooler misses). Reports show the last two as known defects.
   */
  readonly source?: 'docs' | 'issue' | 'observed';
  /**
   * Only these drivers are expected to diverge; the rest are expected to pass. For behaviour
   * that depends on what a driver sends (e.g. postgres.js always sends application_name).
   */
  readonly drivers?: readonly DriverId[];
}

export interface Profile {
  readonly pooler: string;
  /** Which releases the entries were checked against, as documentation. */
  readonly versions: string;
  readonly modes: Readonly<Record<string, readonly ProfileEntry[]>>;
  /** The pooler's own feature table, to set beside the measured feature map. */
  readonly publishedFeatureMap?: PublishedFeatureMap;
}

/** What a pooler's own documentation says per feature (e.g. pgbouncer's "SQL feature map"). */
export interface PublishedFeatureMap {
  readonly link: string;
  /** mode -> feature id (suites/features.ts) -> the documented answer, verbatim ("Yes", "Never", "No"). */
  readonly modes: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export function expectedDivergence(
  profile: Profile | undefined, mode: string | null, scenarioId: string, driver: string, traits: ReadonlySet<Trait> = new Set(),
): ProfileEntry | undefined {
  if (!profile || !mode) return undefined;
  return (profile.modes[mode] ?? []).find((e) =>
    (([] as string[]).concat(e.scenarios).some((p) => matchesId(scenarioId, p)) || (e.traits ?? []).some((t) => traits.has(t)))
    && (!e.drivers || (e.drivers as readonly string[]).includes(driver)));
}
