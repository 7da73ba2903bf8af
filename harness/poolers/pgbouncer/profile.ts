import type { Profile } from '../profile.ts';

export const pgbouncerProfile: Profile = { pooler: 'pgbouncer', versions: '1.18', modes: {} };
