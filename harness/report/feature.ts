/**
 * A feature an application may depend on, as a named group of scenarios (ids or globs). Its
 * cell in the feature map is derived from those scenarios' outcomes on a target: Yes when all
 * behave like PostgreSQL, No when none does, Partial otherwise.
 */
export interface Feature {
  readonly id: string;
  readonly title: string;
  readonly scenarios: readonly string[];
}

export type FeatureCell = 'Yes' | 'No' | 'Partial' | 'n/a';


/** A documented "Yes" needs Yes; a documented "Never"/"No" agrees with No or Partial. */
export function agrees(measured: FeatureCell, documented: string): boolean {
  if (measured === 'n/a') return true;
  return /^yes/i.test(documented) ? measured === 'Yes' : measured !== 'Yes';
}
