import { odyssey } from './odyssey/adapter.ts';
import { pgbouncer } from './pgbouncer/adapter.ts';
import { pgpool } from './pgpool/adapter.ts';
import type { PoolerAdapter } from './pooler-adapter.ts';
import { externalPoolers } from './external-poolers.ts';

export const poolers = { pgbouncer, pgpool, odyssey } satisfies Record<string, PoolerAdapter>;
export type PoolerId = keyof typeof poolers;
export const poolerIds = Object.keys(poolers) as PoolerId[];

export function poolerAdapter(id: string): PoolerAdapter {
  const adapter = (poolers as Record<string, PoolerAdapter>)[id];
  if (!adapter)
    throw new Error(
      `poolcheck cannot start pooler "${id}" itself${id in externalPoolers ? ': certify it with --provider external (see README)' : ''}; it can start: ${poolerIds.join(', ')}`,
    );
  return adapter;
}
