import type { Profile } from '../profile.ts';

export const pgpoolProfile: Profile = {
  pooler: 'pgpool',
  versions: '4.3',
  modes: { cache: [] },
};
