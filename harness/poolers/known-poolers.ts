import type { ExternalPooler } from './external-pooler.ts';
import { externalPoolerIds, externalPoolers } from './external-poolers.ts';
import type { PoolerAdapter } from './pooler-adapter.ts';
import type { Profile } from './profile.ts';
import { poolerIds, poolers } from './registry.ts';

/**
 * Every pooler a target may name: those poolcheck can start (an adapter), those it knows only
 * as a profile and certifies through the external provider (YugabyteDB, PolarDB), and those a
 * user describes in a profile file (--profile).
 */
export interface KnownPooler {
  readonly id: string;
  readonly title: string;
  readonly modes: readonly string[];
  readonly docs: string;
  readonly profile: Profile;
  /** Absent for poolers poolcheck cannot run itself. */
  readonly adapter?: PoolerAdapter;
}

/** The pooler by id; a user's profile for it (a profile file) takes the place of poolcheck's own. */
export function findPooler(id: string, userProfiles: readonly Profile[] = []): KnownPooler | undefined {
  const mine = userProfiles.find((p) => p.pooler === id);
  const adapter = (poolers as Record<string, PoolerAdapter>)[id];
  if (adapter) return { id, title: adapter.title, modes: adapter.modes, docs: adapter.docs, profile: mine ?? adapter.profile, adapter };
  const ext = (externalPoolers as Record<string, ExternalPooler>)[id];
  if (ext) return { id, title: ext.title, modes: ext.modes, docs: ext.docs, profile: mine ?? ext.profile };
  if (mine) return { id, title: id, modes: Object.keys(mine.modes), docs: mine.modes[Object.keys(mine.modes)[0]]?.[0]?.link ?? '', profile: mine };
  return undefined;
}

export function knownPooler(id: string, userProfiles: readonly Profile[] = []): KnownPooler {
  const p = findPooler(id, userProfiles);
  if (!p) throw new Error(`unknown pooler "${id}"; known: ${knownPoolerIds.join(', ')}`);
  return p;
}

export const knownPoolerIds: readonly string[] = [...poolerIds, ...externalPoolerIds];
