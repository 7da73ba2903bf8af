// How the roles and databases a scenario creates for itself reach PostgreSQL through a pooler.
// Their names are made per run (scenario/scenario-objects.ts), so a pooler's config cannot list
// them: each adapter renders, once, an entry that serves names it was never told (an auth query
// for roles, a catch-all database entry), and says here, as data, how it does that, or why
// it cannot for some releases. A scenario that needs what a target cannot give is `skip` there,
// with the adapter's reason.
import { inRange } from '../kernel/versions.ts';

export interface Reach {
  /** How the pooler serves a name its config does not list, in one line (for `list targets` and skip reasons). */
  readonly how: string;
  /** The releases where it cannot, and why. */
  readonly cannot?: { readonly versions: string; readonly why: string };
}

export interface ScenarioReach {
  /** A login as a role the scenario created: the pooler must learn its secret when the client comes. */
  readonly roles: Reach;
  /** A login to a database the scenario created: the pooler must route a database name it does not list. */
  readonly databases: Reach;
  /** A login over the IPv6 loopback (::1): the pooler must listen there as well as on 127.0.0.1. */
  readonly ipv6: Reach;
}

/** A pooler poolcheck did not configure: what it serves is its owner's choice, so nothing is assumed. */
export const EXTERNAL_REACH: ScenarioReach = {
  roles: {
    how: 'an external pooler',
    cannot: {
      versions: '*',
      why: 'an external pooler is configured by its owner, so poolcheck cannot make the roles a scenario creates known to it',
    },
  },
  databases: {
    how: 'an external pooler',
    cannot: {
      versions: '*',
      why: 'an external pooler is configured by its owner, so poolcheck cannot route the databases a scenario creates through it',
    },
  },
  ipv6: {
    how: 'an external pooler',
    cannot: {
      versions: '*',
      why: 'an external target is reached at the URLs given, and poolcheck cannot tell whether it also listens on the IPv6 loopback (::1)',
    },
  },
};

/**
 * Why a release cannot serve what `reach` describes, or undefined when it can. An unknown
 * release (null) is taken to be able to: the scenario then shows what it does.
 */
export function unreachable(reach: Reach, version: string | null): string | undefined {
  if (!reach.cannot) return undefined;
  if (reach.cannot.versions !== '*' && (version === null || !inRange(version, reach.cannot.versions))) return undefined;
  return reach.cannot.why;
}
