import type { DriverId } from '../drivers/registry.ts';
import type { Divergence, DivergenceKind } from '../kernel/divergence.ts';
import { matchesId } from '../kernel/id-glob.ts';
import type { Trait } from '../kernel/traits.ts';
import { inRange } from '../kernel/versions.ts';

/** A divergence a profile entry documents: its kind, and where it matters the SQLSTATE or words. */
export interface DivergenceSpec {
  readonly kind: DivergenceKind;
  /** The SQLSTATE the client got (for error, sqlstate and closed). */
  readonly sqlstate?: string;
  /** A regular expression the divergence's text (expected and observed) must match. */
  readonly pattern?: string;
  /**
   * A regular expression the diverging step must match, as transcripts word it ("Parse, Bind,
   * Query, Sync"): what the client did, where the divergence's text cannot say it.
   */
  readonly step?: string;
}

/** A setting's value an entry holds for: equal to it, or anything but it. */
export type SettingCondition = string | { readonly not: string };

/**
 * What a pooler's documentation (or tracker) says will differ from PostgreSQL, for some
 * scenarios, in one mode. Anything no entry names is expected to behave like PostgreSQL.
 */
export interface ProfileEntry {
  /** Scenario ids or globs; or, with `traits`, leave empty; a defect may name '**' (every scenario). */
  readonly scenarios: string | readonly string[];
  /**
   * A defect of the pooler, by name: the divergence it documents (which a defect must name, with
   * what tells it apart: a SQLSTATE, a pattern, the step) may show in any scenario `scenarios`
   * names, and is documented with this reason wherever it does; where it does not show, the
   * scenario is judged as usual (a defect is optional by nature). Reports list each defect once,
   * with the scenarios where it showed.
   */
  readonly defect?: string;
  /** Also every scenario with one of these traits (kernel/traits.ts). */
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
   * Where a run of another pooler shows the same behaviour: for a pooler poolcheck cannot start
   * (YSQL Connection Manager), the Odyssey release it derives from. Reports add it to the reason.
   */
  readonly evidence?: string;
  /**
   * Only these drivers are expected to diverge; the rest are expected to pass. For behaviour
   * that depends on what a driver sends (e.g. postgres.js always sends application_name).
   */
  readonly drivers?: readonly DriverId[];
  /**
   * These drivers are not expected to diverge as the entry says: what they send meets the
   * pooler another way, which an entry of their own (`drivers`) documents.
   */
  readonly exceptDrivers?: readonly DriverId[];
  /** The pooler releases it holds for, as a range: '<1.21', '>=1.24', '1.21 - 1.23'. */
  readonly versions?: string;
  /** Setting values it holds for, as the release runs the target (named in it, or the release's default). */
  readonly settings?: Readonly<Record<string, SettingCondition>>;
  /** The PostgreSQL releases it holds for ('>=18'). */
  readonly postgres?: string;
  /** What diverges (any of these); without it any divergence counts as the documented one. */
  readonly divergence?: DivergenceSpec | readonly DivergenceSpec[];
  /**
   * A divergence its scenarios may show, not one each must show (a driver's statement cache
   * meets another server only where a scenario runs a query again): a pass is no news, and a
   * divergence it does not document is judged as if the entry were not there.
   */
  readonly optional?: true;
  /**
   * The pooler process exits (it crashes) in these scenarios, which would leave the lane
   * without a pooler for every scenario after them: on a release the entry holds for, poolcheck
   * does not run them, and the result is skip, with the reason and link.
   */
  readonly stopsThePooler?: true;
}

export interface Profile {
  readonly pooler: string;
  /**
   * The releases a poolcheck run checked these entries against. A run on any other release
   * says so at the top of its reports: its verdicts may be stale.
   */
  readonly checked: readonly string[];
  /** What the entries were written from, where no run checked them (a cloud-only pooler's docs). */
  readonly basis?: string;
  readonly modes: Readonly<Record<string, readonly ProfileEntry[]>>;
  /** The pooler's own feature tables, each for the releases it was published for. */
  readonly publishedFeatureMaps?: readonly PublishedFeatureMap[];
}

/** A documented answer, possibly depending on a setting: the first case whose settings hold. */
export type PublishedCell = string | ReadonlyArray<{ readonly settings?: Readonly<Record<string, SettingCondition>>; readonly value: string }>;

/** What a pooler's own documentation says per feature (e.g. pgbouncer's "SQL feature map"). */
export interface PublishedFeatureMap {
  readonly link: string;
  /** The releases this version of the page describes. */
  readonly versions?: string;
  /** mode -> feature id (suites/features.ts) -> the documented answer, verbatim ("Yes", "Never", "No"). */
  readonly modes: Readonly<Record<string, Readonly<Record<string, PublishedCell>>>>;
}

/** What a target runs: all an entry's conditions are read from this. */
export interface TargetFacts {
  readonly mode: string | null;
  readonly version: string | null;
  readonly postgresVersion: string | null;
  /** Every setting the adapter knows, as the release runs the target. */
  readonly settings: Readonly<Record<string, string>>;
}

const list = <T>(x: T | readonly T[] | undefined): readonly T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x as T]);

export const settingHolds = (value: string | undefined, c: SettingCondition): boolean => (typeof c === 'string' ? value === c : value !== c.not);

/** Whether the entry holds for the target: yes, no, or maybe (a release range and no known release). */
function holds(e: ProfileEntry, facts: TargetFacts, driver: string): boolean | 'maybe' {
  if (e.drivers && !(e.drivers as readonly string[]).includes(driver)) return false;
  if ((e.exceptDrivers as readonly string[] | undefined)?.includes(driver)) return false;
  if (!Object.entries(e.settings ?? {}).every(([name, c]) => settingHolds(facts.settings[name], c))) return false;
  let unknown = false;
  for (const [range, version] of [
    [e.versions, facts.version],
    [e.postgres, facts.postgresVersion],
  ] as const) {
    if (!range) continue;
    if (version === null) unknown = true;
    else if (!inRange(version, range)) return false;
  }
  return unknown ? 'maybe' : true;
}

/** How closely an entry names a scenario: exactly, by glob, or by trait; 0 when it does not. */
function naming(e: ProfileEntry, scenarioId: string, traits: ReadonlySet<Trait>): number {
  const patterns = list(e.scenarios);
  if (patterns.includes(scenarioId)) return 3;
  if (patterns.some((p) => matchesId(scenarioId, p))) return 2;
  return (e.traits ?? []).some((t) => traits.has(t)) ? 1 : 0;
}

/** More conditions met is more specific: a driver list, a release range, settings, a PostgreSQL range. */
const specificity = (e: ProfileEntry, name: number) =>
  name * 100 + (e.drivers ? 10 : 0) + (e.versions ? 4 : 0) + Object.keys(e.settings ?? {}).length * 2 + (e.postgres ? 1 : 0);

/**
 * The entries that hold for this scenario, driver and target, most specific first. Where the
 * target's release is unknown (an external pooler without an admin console), an entry for some
 * releases may hold: it documents its divergence, but a pass is no news (as if optional).
 */
export function applicableEntries(
  profile: Profile | undefined,
  facts: TargetFacts,
  scenarioId: string,
  driver: string,
  traits: ReadonlySet<Trait> = new Set(),
): ProfileEntry[] {
  if (!profile || !facts.mode) return [];
  return (profile.modes[facts.mode] ?? [])
    .map((e, i) => ({ e, i, name: naming(e, scenarioId, traits), held: holds(e, facts, driver) }))
    .filter((x) => x.name > 0 && x.held)
    .sort((a, b) => specificity(b.e, b.name) - specificity(a.e, a.name) || a.i - b.i)
    .map((x) => (x.held === 'maybe' || x.e.defect ? { ...x.e, optional: true as const } : x.e));
}

/**
 * The entry saying this scenario crashes the pooler on this target with this driver, when one
 * surely holds (a release range on a target whose release is unknown does not count: the
 * scenario runs).
 */
export function stopsThePooler(
  profile: Profile | undefined,
  facts: TargetFacts,
  scenarioId: string,
  driver: string,
  traits: ReadonlySet<Trait> = new Set(),
): ProfileEntry | undefined {
  if (!profile || !facts.mode) return undefined;
  return (profile.modes[facts.mode] ?? []).find((e) => e.stopsThePooler && naming(e, scenarioId, traits) > 0 && holds(e, facts, driver) === true);
}

/** Whether the entry documents this divergence. */
export function documents(e: ProfileEntry, d: Divergence | undefined, step?: string): boolean {
  const specs = list(e.divergence);
  if (!specs.length) return !e.defect;
  if (!d) return false;
  // A driver that only says "closed" cannot tell the FATAL SQLSTATE: it matches any.
  return specs.some(
    (s) =>
      s.kind === d.kind &&
      (!s.sqlstate || !d.sqlstate || s.sqlstate === d.sqlstate) &&
      (!s.pattern || new RegExp(s.pattern).test(`${d.expected} ${d.observed}`)) &&
      (!s.step || (step !== undefined && new RegExp(s.step).test(step))),
  );
}

/** The pooler's documented answers for what a target runs: the page for its release, cells for its mode and settings. */
export interface PublishedAnswers {
  readonly link: string;
  /** feature id -> the documented answer. */
  readonly cells: Readonly<Record<string, string>>;
}

export function publishedAnswers(profile: Profile | undefined, facts: TargetFacts): PublishedAnswers | undefined {
  const map = profile?.publishedFeatureMaps?.find((m) => !m.versions || inRange(facts.version, m.versions));
  const mode = map && facts.mode ? map.modes[facts.mode] : undefined;
  if (!map || !mode) return undefined;
  const cell = (c: PublishedCell) =>
    typeof c === 'string' ? c : c.find((x) => Object.entries(x.settings ?? {}).every(([n, cond]) => settingHolds(facts.settings[n], cond)))?.value;
  return {
    link: map.link,
    cells: Object.fromEntries(
      Object.entries(mode).flatMap(([id, c]) => {
        const v = cell(c);
        return v === undefined ? [] : [[id, v]];
      }),
    ),
  };
}

/** Text of a divergence spec, for reports: "closed 08P01", "rows". */
export const describeSpec = (s: DivergenceSpec): string => `${s.kind}${s.sqlstate ? ` ${s.sqlstate}` : ''}${s.pattern ? ` /${s.pattern}/` : ''}`;
export const documentedDivergences = (e: ProfileEntry): string => list(e.divergence).map(describeSpec).join(' or ') || 'any divergence';
