import type { Feature } from '../scenario/feature.ts';

export type { Feature };

export type FeatureCell = 'Yes' | 'No' | 'Partial' | 'n/a';

/** A documented "Yes" needs Yes; a documented "Never"/"No" agrees with No or Partial. */
export function agrees(measured: FeatureCell, documented: string): boolean {
  if (measured === 'n/a') return true;
  return /^yes/i.test(documented) ? measured === 'Yes' : measured !== 'Yes';
}
