// PolarDB for PostgreSQL's database proxy, certified through the external provider only.
import { modesOf, type ExternalPooler } from '../external-pooler.ts';
import { polardbProxyProfile } from './profile.ts';

export const polardbProxy: ExternalPooler<keyof typeof polardbProxyProfile.modes> = {
  id: 'polardb-proxy',
  title: 'PolarDB for PostgreSQL database proxy (PolarProxy), transaction-level connection pool',
  modes: modesOf(polardbProxyProfile),
  docs: 'https://www.alibabacloud.com/help/en/polardb/polardb-for-postgresql/transaction-level-connection-pool',
  setup:
    'pooled URL: an endpoint whose connection pool is set to Transaction-level (PolarProxy 2.3.46 or later); direct URL: an endpoint of the same cluster with the connection pool off',
  profile: polardbProxyProfile,
};
