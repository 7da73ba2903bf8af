// A pooler poolcheck knows only as a profile: a managed or built-in pooler it cannot start (no
// adapter, no config rendering, no local binary), reached through the external provider (a
// pooled URL, a direct URL to the same database, and its id with a mode). Each lives in its own
// folder (poolers/<id>/external.ts beside its profile) and is one line in external-poolers.ts.
import type { Profile } from './profile.ts';

export interface ExternalPooler<M extends string = string> {
  readonly id: string;
  readonly title: string;
  /** The profile's mode names; the first is the default, as for adapters (target-spec.ts). */
  readonly modes: readonly [M, ...M[]];
  /** The vendor's page on the pooler, where its modes and limitations are described. */
  readonly docs: string;
  /** How to point poolcheck at it so the profile applies (setup the vendor's docs imply). */
  readonly setup: string;
  readonly profile: Profile & { readonly modes: Readonly<Record<M, Profile['modes'][string]>> };
}

/** The modes of a profile, in its declaration order. */
export function modesOf<M extends string>(profile: { readonly modes: Readonly<Record<M, unknown>> }): [M, ...M[]] {
  const modes = Object.keys(profile.modes) as M[];
  if (!modes.length) throw new Error('a profile needs at least one mode');
  return modes as [M, ...M[]];
}
