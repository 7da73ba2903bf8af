// The type of poolcheck.config.ts, derived from the option table: every option with a config key
// is a field, its type the kind of value the option takes, so the file and the command line can
// never disagree about what exists. `defineConfig` only gives an editor the type to check:
//   import { defineConfig } from 'poolcheck';
//   export default defineConfig({ targets: 'direct,pgbouncer:transaction', drivers: ['raw', 'pg'], poolers: { pgbouncer: './pgbouncer' } });
import type { PoolerId } from '../poolers/registry.ts';
import type { StaticOptions, ValueKind, ValueOf } from './options.ts';

/** A value as the config file takes it: the option's value type (options.ts ValueOf), and a list also as one comma list. */
type ConfigValue<K extends ValueKind> = K extends { readonly kind: 'list' | 'paths' } ? string | readonly string[] : ValueOf<K>;

/** The config key of an option (undefined for none), when it is a top-level key. */
type TopKey<N extends keyof StaticOptions> = StaticOptions[N] extends { readonly config: infer C extends string }
  ? C extends `${string}.${string}`
    ? never
    : C
  : never;

export type PoolcheckConfig = {
  readonly [N in keyof StaticOptions as TopKey<N>]?: ConfigValue<StaticOptions[N]['value']>;
} & {
  /** The pooler binaries to test (--<pooler>-bin), relative to the config file. */
  readonly poolers?: { readonly [P in PoolerId]?: string };
};

export function defineConfig(config: PoolcheckConfig): PoolcheckConfig {
  return config;
}
