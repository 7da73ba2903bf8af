// Release versions and ranges over them ('<1.21', '>=1.24', '1.21 - 1.23', '>=1.18 <1.27'),
// with npm's semver rules. Poolers print versions with two or three parts, and PostgreSQL
// with two ("17.6 (Debian 17.6-1)"): the first version-looking number counts.
import semver from 'semver';

/** The release a version text names, as x.y.z, or undefined when it names none. */
export function releaseOf(text: string | null | undefined): string | undefined {
  return text ? semver.coerce(text)?.version : undefined;
}

/** Whether `version` (any text naming a release) is in `range`; an unknown version is in no range. */
export function inRange(version: string | null | undefined, range: string): boolean {
  const v = releaseOf(version);
  return v !== undefined && semver.satisfies(v, range);
}

/** A range's problem, for checking profile data once; undefined when it is valid. */
export function rangeProblem(range: string): string | undefined {
  return semver.validRange(range) ? undefined : `"${range}" is not a version range (e.g. "<1.21", ">=1.24", "1.21 - 1.23")`;
}
