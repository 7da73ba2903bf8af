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
