import type { Feature } from '../scenario/feature.ts';

export type { Feature };

export type FeatureCell = 'Yes' | 'No' | 'Partial' | 'n/a';

/** How a pooler's documentation words a refusal: "No", "Never", "not supported", "cannot". */
const REFUSAL = /^(no|never|not|cannot|unsupported)\b/i;

/**
 * A documented refusal agrees with No or Partial; any other documented answer ("Yes", or the
 * docs' own words for it: "can use", "deleted at the end of the session") needs Yes.
 */
export function agrees(measured: FeatureCell, documented: string): boolean {
  if (measured === 'n/a') return true;
  return REFUSAL.test(documented.trim()) ? measured !== 'Yes' : measured === 'Yes';
}
