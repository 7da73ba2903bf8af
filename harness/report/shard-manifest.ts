// shard.json, beside a shard's reports (--shard i/n): everything `poolcheck merge` needs to write
// the reports of the whole run from its shards without running anything or reading the
// catalogue again. The `plan` fingerprint names what was split (poolcheck's version, the selected
// scenarios in catalogue order, the drivers and the targets), so that shards of different runs
// are never merged into one.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PublishedAnswers } from '../poolers/profile.ts';
import type { Feature } from './feature.ts';
import { SHARD_MANIFEST_SCHEMA, shapeProblem } from './results-schema.ts';
import type { RunReport } from './run-report.ts';

export const SHARD_FILE = 'shard.json';
const FORMAT = 1;

export interface ShardManifest {
  readonly format: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly plan: string;
  /** Every scenario of the run (all shards), in catalogue order. */
  readonly scenarios: readonly string[];
  readonly report: RunReport;
  readonly features: readonly Feature[];
  /** Each target's feature answers from the pooler's own documentation. */
  readonly published: Readonly<Record<string, PublishedAnswers>>;
}

export interface PlanFacts {
  readonly poolcheckVersion: string;
  readonly scenarios: readonly string[];
  readonly drivers: ReadonlyArray<{ readonly id: string; readonly version: string }>;
  readonly targets: readonly string[];
}

export function planFingerprint(p: PlanFacts): string {
  const text = JSON.stringify([p.poolcheckVersion, p.scenarios, p.drivers.map((d) => `${d.id} ${d.version}`), p.targets]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function shardManifestJson(m: Omit<ShardManifest, 'format'>): string {
  return JSON.stringify({ format: FORMAT, ...m }) + '\n';
}

export class ShardManifestError extends Error {}

/** The manifest of the shard whose out folder is `dir`, refused in one line unless it has the shape merge reads. */
export function readShardManifest(dir: string): ShardManifest {
  const file = path.join(dir, SHARD_FILE);
  if (!existsSync(file)) throw new ShardManifestError(`${dir} holds no ${SHARD_FILE}: not the out folder of a poolcheck run --shard i/n`);
  if (!lstatSync(file).isFile())
    throw new ShardManifestError(`${file} is not a regular file (a symbolic link?): merge reads only what a shard wrote itself`);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ShardManifestError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const format = (m as { format?: unknown } | null)?.format;
  if (format !== FORMAT)
    throw new ShardManifestError(
      `${file} was written by another poolcheck (shard format ${JSON.stringify(format) ?? 'none'}, this one reads ${FORMAT})`,
    );
  const problem = shapeProblem(m, SHARD_MANIFEST_SCHEMA);
  if (problem) throw new ShardManifestError(`${file} is not a poolcheck ${SHARD_FILE}: ${problem}`);
  const manifest = m as ShardManifest;
  if (manifest.shard.index > manifest.shard.count)
    throw new ShardManifestError(
      `${file} is not a poolcheck ${SHARD_FILE}: shard ${manifest.shard.index}/${manifest.shard.count} is no part of ${manifest.shard.count}`,
    );
  return manifest;
}
