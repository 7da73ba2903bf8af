// YugabyteDB's YSQL Connection Manager, certified through the external provider only.
import { modesOf, type ExternalPooler } from '../external-pooler.ts';
import { yugabyteYsqlCmProfile } from './profile.ts';

export const yugabyteYsqlCm: ExternalPooler<keyof typeof yugabyteYsqlCmProfile.modes> = {
  id: 'yugabyte-ysql-cm',
  title: 'YugabyteDB YSQL Connection Manager',
  modes: modesOf(yugabyteYsqlCmProfile),
  docs: 'https://docs.yugabyte.com/stable/additional-features/connection-manager-ysql/',
  setup:
    "pooled URL: the tserver's YCM port (ysql_conn_mgr_port, 5433 by default); direct URL: the same tserver's PostgreSQL port; log in as a role that is not a superuser (superuser connections are sticky by default); the mode is the tservers' ysql_conn_mgr_sequence_support_mode",
  profile: yugabyteYsqlCmProfile,
};
