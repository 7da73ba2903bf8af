import { externalPoolerIds, externalPoolers, type ExternalPooler } from './external-poolers.ts';
import type { PoolerAdapter } from './pooler-adapter.ts';
import type { Profile } from './profile.ts';
import { poolerIds, poolers } from './registry.ts';

/**
 * Every pooler a target may name: those poolcheck can start (an adapter) and those it knows
 * only as a profile, certified through the external provider (YugabyteDB, PolarDB).
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

export function knownPooler(id: string): KnownPooler {
  const adapter = (poolers as Record<string, PoolerAdapter>)[id];
  if (adapter) return { id, title: adapter.title, modes: adapter.modes, docs: adapter.docs, profile: adapter.profile, adapter };
  const ext = (externalPoolers as Record<string, ExternalPooler>)[id];
  if (ext) return { id, title: ext.title, modes: ext.modes, docs: ext.docs, profile: ext.profile };
  throw new Error(`unknown pooler "${id}"; known: ${knownPoolerIds.join(', ')}`);
}

export const knownPoolerIds: readonly string[] = [...poolerIds, ...externalPoolerIds];
