// `--provider local|docker|external`: the chosen options turned into the provider that starts
// (or finds) the targets, checked before anything starts, so that a missing binary, engine or
// image fails the run at once with one line naming the fix.
import type { ChosenProvider } from './run-plan.ts';
import { parseTarget, parseTargets } from '../targets/target-spec.ts';
import { LocalProvider } from '../targets/providers/local.ts';
import { DockerProvider } from '../targets/providers/docker.ts';
import { builtIn, parseImageOverrides, type Suite } from '../targets/providers/docker-images.ts';
import { checkReachable, ExternalProvider } from '../targets/providers/external.ts';
import { checkSameDatabase } from '../targets/providers/external-same-database.ts';
import { parseEndpoint, parseEndpoints, readPassword } from '../targets/providers/external-url.ts';
import type { ProviderId } from '../targets/started-target.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import type { Profile } from '../poolers/profile.ts';
import { poolers } from '../poolers/registry.ts';
import { asUsage, UsageError } from '../kernel/errors.ts';

/** The options that choose the provider and its targets, as read (cli/provider-options.ts): each field names its option. */
export interface ProviderOptions {
  /** --provider. */
  readonly kind: ProviderId;
  /** Options given on the command line that only one provider reads: with another --provider they are refused. */
  readonly providerOnly: ReadonlyArray<{ readonly option: string; readonly provider: ProviderId }>;
  /** --targets: as named (on the command line or in the config file), or the table's default. */
  readonly targets: readonly string[];
  readonly targetsNamed: boolean;
  /** --targets and --lanes on the command line, which --provider external refuses (its lanes are its URLs). */
  readonly onCommandLine: { readonly targets: boolean; readonly lanes: boolean };
  /** Not --no-install: a missing server binary or driver package is installed (as root). */
  readonly allowInstall: boolean;
  readonly local: {
    /** --pg-bindir. */
    readonly pgBinDir?: string;
    /** --<pooler>-bin, by pooler id. */
    readonly poolerBinaries: Readonly<Record<string, string>>;
  };
  readonly docker: {
    readonly suite: Suite;
    /** --image COMPONENT=IMAGE. */
    readonly images?: readonly string[];
  };
  /** --external-pooler, --external-pooled, --external-direct, --external-single, --external-admin, --password-env, --password-file. */
  readonly external: {
    readonly pooler?: string;
    readonly pooled?: readonly string[];
    readonly direct?: readonly string[];
    readonly single?: readonly string[];
    readonly admin?: string;
    readonly passwordEnv?: string;
    readonly passwordFile?: string;
  };
}

export interface ProviderRequest {
  readonly options: ProviderOptions;
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

/** Checks the options only: nothing starts, nothing is written. */
export function chooseProvider(req: ProviderRequest): ChosenProvider {
  const o = req.options;
  const kind = o.kind;
  for (const { option, provider } of o.providerOnly) {
    if (provider !== kind) throw new UsageError(`--${option} applies to --provider ${provider}, not ${kind}`);
  }
  if (kind === 'external') return asUsage(() => external(req));
  const { suite } = o.docker;
  // Named targets run as named; the table's default gains the poolers this run can also start.
  const available = (id: string) => (kind === 'docker' ? builtIn(id, suite) : o.local.poolerBinaries[id] !== undefined);
  const targets = asUsage(() =>
    parseTargets(o.targetsNamed ? o.targets.join(',') : withOptionalPoolers(o.targets, available), { profiles: req.profiles }),
  );

  if (kind === 'docker') {
    const images = asUsage(() => parseImageOverrides(o.docker.images));
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

  const local = new LocalProvider({
    runId: req.runId,
    logDir: req.logDir,
    allowInstall: o.allowInstall,
    lanes: lanesToStart(req.lanes, targets.length),
    maxConnections: req.maxConnections,
    pgBinDir: o.local.pgBinDir,
    poolerBinaries: o.local.poolerBinaries,
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
  const o = req.options.external;
  const need = <T>(value: T | undefined, option: string, example: string): T => {
    if (value === undefined) throw new UsageError(`--provider external needs --${option} (e.g. --${option} ${example})`);
    return value;
  };
  const pooler = parseTarget(need(o.pooler, 'external-pooler', 'pgbouncer:transaction'), { profiles: req.profiles, anyPooler: true });
  if (!pooler.pooler)
    throw new UsageError('--external-pooler names the pooler and its mode, e.g. pgbouncer:transaction (direct is the --external-direct URL)');
  if (req.options.onCommandLine.targets)
    throw new UsageError('with --provider external the targets are direct (--external-direct) and --external-pooler; leave out --targets');
  if (req.options.onCommandLine.lanes)
    throw new UsageError('--lanes does not apply to --provider external: give one URL per lane (comma lists) instead');
  const pooled = parseEndpoints('external-pooled', need(o.pooled, 'external-pooled', 'postgres://app@pooler.example:6432/appdb'));
  const direct = parseEndpoints('external-direct', need(o.direct, 'external-direct', 'postgres://app@db.example:5432/appdb'));
  const singleUrls = o.single;
  const single = singleUrls ? parseEndpoints('external-single', singleUrls) : pooled;
  if (direct.length !== pooled.length || single.length !== pooled.length) {
    throw new UsageError(
      `--external-pooled, --external-single and --external-direct give one URL per lane: got ${pooled.length}, ${single.length} and ${direct.length}`,
    );
  }
  const adminUrl = o.admin;
  const admin = adminUrl ? parseEndpoint('external-admin', adminUrl) : undefined;
  const password = readPassword({ env: o.passwordEnv, file: o.passwordFile });
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
