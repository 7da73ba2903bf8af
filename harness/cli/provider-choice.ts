// `poolcheck run --provider local|docker|external`: turns the options into the provider that
// starts (or finds) the targets, and checks what it needs before anything starts, so that a
// missing binary, engine or image fails the run at once with one line naming the fix.
import type { ChosenProvider } from '../run/run-plan.ts';
import { parseTarget, parseTargets } from '../targets/target-spec.ts';
import { LocalProvider } from '../targets/providers/local.ts';
import { DockerProvider } from '../targets/providers/docker.ts';
import { builtIn, parseImageOverrides } from '../targets/providers/docker-images.ts';
import { checkReachable, ExternalProvider } from '../targets/providers/external.ts';
import { checkSameDatabase } from '../targets/providers/external-same-database.ts';
import { parseEndpoint, parseEndpoints, readPassword } from '../targets/providers/external-url.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import type { Profile } from '../poolers/profile.ts';
import { poolerIds, poolers } from '../poolers/registry.ts';
import { type Options } from './args.ts';
import { asUsage, UsageError } from '../kernel/errors.ts';
import { OPTIONS, type OptionName } from './options.ts';

export interface ProviderRequest {
  readonly options: Options;
  /** Profiles from files (--profile). */
  readonly profiles: readonly Profile[];
  readonly runId: string;
  readonly logDir: string;
  readonly lanes: number;
  /** PostgreSQL's max_connections for the servers poolcheck starts. */
  readonly maxConnections: number;
}

/**
 * The lanes each local target starts: --lanes, and two spare ones when other targets run beside
 * it. At most --lanes x targets scenarios run at once (runMatrix's slots), so the spares work
 * only while another target leaves its share unused (it is done, or still starting): the one still running (pgbouncer in statement mode,
 * whose documented divergences are waited out) takes up the lanes the others free. Measured on
 * the JavaScript matrix: 43.5 to 49.7 s against 48.8 to 50.6 s without.
 */
export const lanesToStart = (lanes: number, targets: number) => (targets > 1 ? Math.min(lanes + SPARE_LANES, MAX_LANES) : lanes);
const SPARE_LANES = 2;
const MAX_LANES = 16;

/** Parses and checks the options only: nothing starts, nothing is written. */
export function chooseProvider(req: ProviderRequest): ChosenProvider {
  const o = req.options;
  const kind = o.get('provider');
  for (const name of o.givenNames()) {
    const only = OPTIONS[name].provider;
    if (only && only !== kind) throw new UsageError(`--${name} applies to --provider ${only}, not ${kind}`);
  }
  if (kind === 'external') return asUsage(() => external(req));
  const suite = o.get('suite');
  // Named targets run as named; the table's default gains the poolers this run can also start.
  const available = (id: string) => (kind === 'docker' ? builtIn(id, suite) : o.has(`${id}-bin` as OptionName));
  const targets = asUsage(() =>
    parseTargets(o.has('targets') ? o.get('targets').join(',') : withOptionalPoolers(o.get('targets'), available), { profiles: req.profiles }),
  );

  if (kind === 'docker') {
    const images = asUsage(() => parseImageOverrides(o.get('image')));
    const docker = new DockerProvider({ runId: req.runId, logDir: req.logDir, lanes: req.lanes, maxConnections: req.maxConnections, images, suite });
    return {
      provider: docker,
      targets,
      secrets: () => docker.secrets(),
      async prepare() {
        const leftovers = await docker.prepare(targets);
        const refs = await docker.imageRefs();
        return [
          ...(leftovers ? [`removed ${leftovers} container(s) left by an earlier run that was killed`] : []),
          `images: ${Object.entries(refs)
            .map(([c, r]) => `${c}=${r}`)
            .join(', ')}`,
        ];
      },
    };
  }

  const poolerBinaries: Record<string, string> = {};
  for (const id of poolerIds) {
    const bin = o.get(`${id}-bin`);
    if (bin) poolerBinaries[id] = bin;
  }
  const local = new LocalProvider({
    runId: req.runId,
    logDir: req.logDir,
    allowInstall: !o.get('no-install'),
    lanes: lanesToStart(req.lanes, targets.length),
    maxConnections: req.maxConnections,
    pgBinDir: o.get('pg-bindir'),
    poolerBinaries,
  });
  return {
    provider: local,
    targets,
    secrets: () => local.secrets(),
    async prepare() {
      local.checkBinaries(targets);
      return [];
    },
  };
}

function external(req: ProviderRequest): ChosenProvider {
  const o = req.options;
  const need = <N extends 'external-pooler' | 'external-pooled' | 'external-direct'>(
    n: N,
    example: string,
  ): NonNullable<ReturnType<typeof o.get<N>>> => {
    const v = o.get(n);
    if (v === undefined) throw new UsageError(`--provider external needs --${n} (e.g. --${n} ${example})`);
    return v;
  };
  const pooler = parseTarget(need('external-pooler', 'pgbouncer:transaction'), { profiles: req.profiles, anyPooler: true });
  if (!pooler.pooler)
    throw new UsageError('--external-pooler names the pooler and its mode, e.g. pgbouncer:transaction (direct is the --external-direct URL)');
  if (o.given('targets'))
    throw new UsageError('with --provider external the targets are direct (--external-direct) and --external-pooler; leave out --targets');
  if (o.given('lanes')) throw new UsageError('--lanes does not apply to --provider external: give one URL per lane (comma lists) instead');
  const pooled = parseEndpoints('external-pooled', need('external-pooled', 'postgres://app@pooler.example:6432/appdb'));
  const direct = parseEndpoints('external-direct', need('external-direct', 'postgres://app@db.example:5432/appdb'));
  const singleUrls = o.get('external-single');
  const single = singleUrls ? parseEndpoints('external-single', singleUrls) : pooled;
  if (direct.length !== pooled.length || single.length !== pooled.length) {
    throw new UsageError(
      `--external-pooled, --external-single and --external-direct give one URL per lane: got ${pooled.length}, ${single.length} and ${direct.length}`,
    );
  }
  const adminUrl = o.get('external-admin');
  const admin = adminUrl ? parseEndpoint('external-admin', adminUrl) : undefined;
  const password = readPassword({ env: o.get('password-env'), file: o.get('password-file') });
  const known = pooler.pooler ? findPooler(pooler.pooler, req.profiles) : undefined;
  const provider = new ExternalProvider({
    pooler,
    known,
    admin,
    password,
    lanes: pooled.map((p, i) => ({ pooled: p, single: single[i], direct: direct[i] })),
  });
  const note = `external ${pooler.id}: ${pooled.length} lane(s); direct runs first, then the pooler, on the same database${admin ? '' : " (no --external-admin: between scenarios the pooler's own clients end its server connections)"}${known ? '' : `; poolcheck has no profile for ${pooler.pooler}: every divergence is an unprofiled finding (--profile FILE gives it one)`}`;
  const endpoints = [
    ...direct.map((e) => ({ flag: 'external-direct', e })),
    ...pooled.map((e) => ({ flag: 'external-pooled', e })),
    ...(singleUrls ? single.map((e) => ({ flag: 'external-single', e })) : []),
    ...(admin ? [{ flag: 'external-admin', e: admin }] : []),
  ].map(({ flag, e }) => ({ flag, conn: { ...e, password } }));
  const routes = singleUrls
    ? single.map((e, i) => ({
        single: { flag: 'external-single', conn: { ...e, password } },
        pooled: { flag: 'external-pooled', conn: { ...pooled[i], password } },
      }))
    : [];
  const prepare = async () => {
    await checkReachable(endpoints);
    await checkSameDatabase(routes);
    return [note];
  };
  return { provider, targets: provider.targets(), secrets: () => provider.secrets(), prepare };
}

/**
 * The default targets, plus every mode of each pooler outside them that this run can start: one
 * whose image the chosen Debian suite builds (Odyssey: sid), or whose binary the user gave.
 */
function withOptionalPoolers(defaults: readonly string[], available: (poolerId: string) => boolean): string {
  const named = new Set(defaults.map((t) => t.split(':')[0]));
  const extra = Object.values(poolers)
    .filter((a) => !named.has(a.id) && available(a.id))
    .flatMap((a) => a.modes.map((m) => `${a.id}:${m}`));
  return [defaults, ...extra].join(',');
}
