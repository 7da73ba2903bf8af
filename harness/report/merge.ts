// The report of a whole run from its shards (poolcheck merge): the results of every shard in
// catalogue order, judged as each shard judged them (a shard holds whole scenario-and-driver
// groups, so each had its own baseline), so the reports read as one unsharded run's, timings
// apart. Shards of different runs, of different builds, or a set with a shard missing are refused
// in one line.
import type { PublishedAnswers } from '../poolers/profile.ts';
import type { Feature } from './feature.ts';
import { catalogueOrder } from './order.ts';
import type { RunReport } from './run-report.ts';
import type { ShardManifest } from './shard-manifest.ts';

export class MergeError extends Error {}

export interface MergeInput {
  /** Where the shard came from, for messages. */
  readonly dir: string;
  readonly manifest: ShardManifest;
}

export interface Merged {
  readonly report: RunReport;
  readonly features: readonly Feature[];
  readonly published: Readonly<Record<string, PublishedAnswers>>;
}

const label = (s: MergeInput) => `${s.dir} (shard ${s.manifest.shard.index}/${s.manifest.shard.count})`;

function check(shards: readonly MergeInput[]): void {
  const [first, ...rest] = shards;
  if (!first) throw new MergeError('poolcheck merge needs the out folders of the shards');
  const n = first.manifest.shard.count;
  for (const s of rest) {
    if (s.manifest.shard.count !== n)
      throw new MergeError(`${label(s)} and ${label(first)} split the run differently: merge the shards of one --shard i/n split`);
    if (s.manifest.plan !== first.manifest.plan)
      throw new MergeError(
        `${label(s)} and ${label(first)} are shards of different runs (poolcheck version, scenarios, drivers or targets differ): merge the shards of one run`,
      );
  }
  for (const s of rest) {
    for (const t of s.manifest.report.targets) {
      const f = first.manifest.report.targets.find((x) => x.id === t.id);
      const ran = (x: typeof t | undefined) =>
        `${x?.pooler ?? 'PostgreSQL'} ${x?.pooler ? (x.poolerVersion ?? '?') : (x?.postgresVersion ?? '?')} on PostgreSQL ${x?.postgresVersion ?? '?'}`;
      if (f && !f.error && !t.error && (f.poolerVersion !== t.poolerVersion || f.postgresVersion !== t.postgresVersion)) {
        throw new MergeError(`${label(s)} ran ${t.id} as ${ran(t)}, ${label(first)} as ${ran(f)}: shards of different builds cannot be merged`);
      }
    }
  }
  const seen = new Map<number, MergeInput>();
  for (const s of shards) {
    const twice = seen.get(s.manifest.shard.index);
    if (twice) throw new MergeError(`shard ${s.manifest.shard.index}/${n} is given twice: ${twice.dir} and ${s.dir}`);
    seen.set(s.manifest.shard.index, s);
    if (s.manifest.report.run.interrupted)
      throw new MergeError(`${label(s)} was interrupted (${s.manifest.report.run.interrupted.reason}): run that shard again`);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new MergeError(
      `incomplete set of shards: ${missing.map((i) => `${i}/${n}`).join(', ')} missing (given: ${[...seen.keys()]
        .sort((a, b) => a - b)
        .map((i) => `${i}/${n}`)
        .join(', ')})`,
    );
}

export function mergeShards(shards: readonly MergeInput[]): Merged {
  check(shards);
  const sorted = [...shards].sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  const reports = sorted.map((s) => s.manifest.report);
  const first = reports[0];
  const order = catalogueOrder(
    sorted[0].manifest.scenarios,
    first.targets.map((t) => t.id),
    first.drivers.map((d) => d.id),
  );
  const startedAt = reports.map((r) => r.run.startedAt).sort()[0];
  const finishedAt = reports
    .map((r) => r.run.finishedAt)
    .sort()
    .at(-1)!;
  const report: RunReport = {
    run: {
      id: reports.map((r) => r.run.id).join('+'),
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
      poolcheckVersion: first.run.poolcheckVersion,
    },
    // A target's start is paid by every shard: the slowest one stands for it.
    targets: first.targets.map((t) => {
      const all = reports.map((r) => r.targets.find((x) => x.id === t.id) ?? t);
      const error = all.find((x) => x.error)?.error;
      return { ...t, startMs: Math.max(...all.map((x) => x.startMs)), ...(error ? { error } : {}) };
    }),
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    drivers: first.drivers,
    results: reports.flatMap((r) => r.results).sort(order),
  };
  return {
    report,
    features: sorted[0].manifest.features,
    published: Object.assign({}, ...sorted.map((s) => s.manifest.published)) as Merged['published'],
  };
}
