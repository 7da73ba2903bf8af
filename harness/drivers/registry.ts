// Every driver poolcheck can run, by id. A variant (`<driver>:pooler-safe`) is the same library
// with the setting poolers' documentation recommends; it is its own id so reports show both.
import { asyncpgDriver, asyncpgPoolerSafeDriver } from './asyncpg.ts';
import { libpqDriver } from './libpq.ts';
import { pdoPgsqlDriver, pdoPgsqlPoolerSafeDriver } from './pdo-pgsql.ts';
import { pgDriver } from './pg.ts';
import { pgjdbcDriver, pgjdbcPoolerSafeDriver } from './pgjdbc.ts';
import { pgxDriver, pgxPoolerSafeDriver } from './pgx.ts';
import { postgresJsDriver, postgresJsPoolerSafeDriver } from './postgresjs.ts';
import { psycopgDriver, psycopgPoolerSafeDriver } from './psycopg.ts';
import { rawDriver } from './raw.ts';
import { rubyPgDriver, rubyPgPoolerSafeDriver } from './ruby-pg.ts';
import { tokioPostgresDriver, tokioPostgresPoolerSafeDriver } from './tokio-postgres.ts';
import type { Driver } from './session.ts';

export const drivers = {
  raw: rawDriver,
  pg: pgDriver,
  'postgres.js': postgresJsDriver,
  'postgres.js:pooler-safe': postgresJsPoolerSafeDriver,
  libpq: libpqDriver,
  psycopg: psycopgDriver,
  'psycopg:pooler-safe': psycopgPoolerSafeDriver,
  asyncpg: asyncpgDriver,
  'asyncpg:pooler-safe': asyncpgPoolerSafeDriver,
  pgjdbc: pgjdbcDriver,
  'pgjdbc:pooler-safe': pgjdbcPoolerSafeDriver,
  pgx: pgxDriver,
  'pgx:pooler-safe': pgxPoolerSafeDriver,
  'ruby-pg': rubyPgDriver,
  'ruby-pg:pooler-safe': rubyPgPoolerSafeDriver,
  'pdo-pgsql': pdoPgsqlDriver,
  'pdo-pgsql:pooler-safe': pdoPgsqlPoolerSafeDriver,
  'tokio-postgres': tokioPostgresDriver,
  'tokio-postgres:pooler-safe': tokioPostgresPoolerSafeDriver,
} satisfies Record<string, Driver>;
export type DriverId = keyof typeof drivers;
export const driverIds = Object.keys(drivers) as DriverId[];

export function driver(id: string): Driver {
  const d = (drivers as Record<string, Driver>)[id];
  if (!d) throw new Error(`unknown driver "${id}"; known: ${driverIds.join(', ')}`);
  if (d.id !== id) throw new Error(`driver registered as "${id}" calls itself "${d.id}"`);
  return d;
}
