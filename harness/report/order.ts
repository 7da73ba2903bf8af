// The order reports list results in: the catalogue's scenarios, then the run's targets, then its
// drivers. A run assembled from shards sorts the same way, so its reports read as one run's.

interface Keyed {
  readonly scenario: string;
  readonly target: string;
  readonly driver: string;
}

export function catalogueOrder(scenarios: readonly string[], targets: readonly string[], drivers: readonly string[]): (a: Keyed, b: Keyed) => number {
  const rank = (xs: readonly string[]) => new Map(xs.map((x, i) => [x, i]));
  const s = rank(scenarios);
  const t = rank(targets);
  const d = rank(drivers);
  return (a, b) =>
    (s.get(a.scenario) ?? 0) - (s.get(b.scenario) ?? 0) ||
    (t.get(a.target) ?? 0) - (t.get(b.target) ?? 0) ||
    (d.get(a.driver) ?? 0) - (d.get(b.driver) ?? 0);
}
