import { pgDriver } from './pg.ts';
import { postgresJsDriver } from './postgresjs.ts';
import { rawDriver } from './raw.ts';
import type { Driver } from './session.ts';

export const drivers = { raw: rawDriver, pg: pgDriver, 'postgres.js': postgresJsDriver } satisfies Record<string, Driver>;
export type DriverId = keyof typeof drivers;
export const driverIds = Object.keys(drivers) as DriverId[];

export function driver(id: string): Driver {
  const d = (drivers as Record<string, Driver>)[id];
  if (!d) throw new Error(`unknown driver "${id}"; known: ${driverIds.join(', ')}`);
  return d;
}
