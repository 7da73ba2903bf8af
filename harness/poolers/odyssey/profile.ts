// What Odyssey's documentation says differs from PostgreSQL, per pooling mode.
import type { Profile } from '../profile.ts';

export const odysseyProfile: Profile = {
  pooler: 'odyssey',
  checked: [],
  modes: { session: [], transaction: [] },
};
