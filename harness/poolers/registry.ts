import { pgbouncer } from './pgbouncer/adapter.ts';
import { pgpool } from './pgpool/adapter.ts';
import type { PoolerAdapter } from './pooler-adapter.ts';

export const poolers = { pgbouncer, pgpool } satisfies Record<string, PoolerAdapter>;
export type PoolerId = keyof typeof poolers;
export const poolerIds = Object.keys(poolers) as PoolerId[];

export function poolerAdapter(id: string): PoolerAdapter {
  const adapter = (poolers as Record<string, PoolerAdapter>)[id];
  if (!adapter) throw new Error(`unknown pooler "${id}"; known: ${poolerIds.join(', ')}`);
  return adapter;
}
