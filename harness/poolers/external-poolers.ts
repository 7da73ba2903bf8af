// The poolers poolcheck knows only as profiles (external-pooler.ts), by id: one line each. Their
// profiles were written from the vendors' documentation and never run here; each says so in its
// `versions`. Keyed like the adapter registry (registry.ts), and the ids do not overlap.
import type { ExternalPooler } from './external-pooler.ts';
import { polardbProxy } from './polardb/external.ts';
import { yugabyteYsqlCm } from './yugabyte/external.ts';

export const externalPoolers = {
  'yugabyte-ysql-cm': yugabyteYsqlCm,
  'polardb-proxy': polardbProxy,
} satisfies Record<string, ExternalPooler>;

export type ExternalPoolerId = keyof typeof externalPoolers;
export const externalPoolerIds = Object.keys(externalPoolers) as ExternalPoolerId[];

export function externalPooler(id: string): ExternalPooler {
  const p = (externalPoolers as Record<string, ExternalPooler>)[id];
  if (!p) throw new Error(`unknown external pooler "${id}"; known: ${externalPoolerIds.join(', ')}`);
  return p;
}
