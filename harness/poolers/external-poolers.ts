// Poolers poolcheck knows only as profiles: managed or built-in poolers it cannot start (no
// adapter, no config rendering, no local binary), to be reached through the external provider
// (a pooled URL, a direct URL to the same database, and one of these ids with a mode). Their
// profiles were written from the vendors' documentation and never run here; each says so in
// its `versions`. Keyed like the adapter registry (registry.ts), and the ids do not overlap.
import type { Profile } from './profile.ts';
import { polardbProxyProfile } from './polardb/profile.ts';
import { yugabyteYsqlCmProfile } from './yugabyte/profile.ts';

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
function modesOf<M extends string>(profile: { readonly modes: Readonly<Record<M, unknown>> }): [M, ...M[]] {
  const modes = Object.keys(profile.modes) as M[];
  if (!modes.length) throw new Error('a profile needs at least one mode');
  return modes as [M, ...M[]];
}

const yugabyteYsqlCm: ExternalPooler<keyof typeof yugabyteYsqlCmProfile.modes> = {
  id: 'yugabyte-ysql-cm',
  title: 'YugabyteDB YSQL Connection Manager',
  modes: modesOf(yugabyteYsqlCmProfile),
  docs: 'https://docs.yugabyte.com/stable/additional-features/connection-manager-ysql/',
  setup:
    "pooled URL: the tserver's YCM port (ysql_conn_mgr_port, 5433 by default); direct URL: the same tserver's PostgreSQL port; log in as a role that is not a superuser (superuser connections are sticky by default); the mode is the tservers' ysql_conn_mgr_sequence_support_mode",
  profile: yugabyteYsqlCmProfile,
};

const polardbProxy: ExternalPooler<keyof typeof polardbProxyProfile.modes> = {
  id: 'polardb-proxy',
  title: 'PolarDB for PostgreSQL database proxy (PolarProxy), transaction-level connection pool',
  modes: modesOf(polardbProxyProfile),
  docs: 'https://www.alibabacloud.com/help/en/polardb/polardb-for-postgresql/transaction-level-connection-pool',
  setup:
    'pooled URL: an endpoint whose connection pool is set to Transaction-level (PolarProxy 2.3.46 or later); direct URL: an endpoint of the same cluster with the connection pool off',
  profile: polardbProxyProfile,
};

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
