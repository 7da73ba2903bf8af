// Scenario ids matched against an id or a glob (profiles, features, --scenarios). Each glob is
// compiled once: a report matches every result against every profile entry and feature, and
// compiling is what minimatch spends its time on.
import { Minimatch } from 'minimatch';

const compiled = new Map<string, Minimatch>();

export function matchesId(id: string, pattern: string): boolean {
  if (id === pattern) return true;
  let m = compiled.get(pattern);
  if (!m) compiled.set(pattern, (m = new Minimatch(pattern)));
  return m.match(id);
}
