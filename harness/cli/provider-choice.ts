// `poolcheck run --provider local|docker|external`: turns the flags into the provider that
// starts (or finds) the targets, and checks what it needs before anything starts, so that a
// missing binary, engine or image fails the run at once with one line naming the fix.
import path from 'node:path';
import type { Provider } from '../targets/started-target.ts';
import { parseTarget, parseTargets, type TargetSpec } from '../targets/target-spec.ts';
import { LocalProvider } from '../targets/providers/local.ts';
import { DockerProvider } from '../targets/providers/docker.ts';
import { parseImageOverrides } from '../targets/providers/docker-images.ts';
import { ExternalProvider } from '../targets/providers/external.ts';
import { parseEndpoint, parseEndpoints, readPassword } from '../targets/providers/external-url.ts';
import { UsageError } from './args.ts';
import type { FileConfig } from './config.ts';

export const PROVIDERS = ['local', 'docker', 'external'] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

/** Flags that only one provider reads; naming them with another is a mistake worth saying. */
const ONLY: Record<string, ProviderKind> = {
  'pg-bindir': 'local', 'pgbouncer-bin': 'local', 'pgpool-bin': 'local', 'no-install': 'local',
  image: 'docker',
  'external-pooled': 'external', 'external-single': 'external', 'external-direct': 'external', 'external-pooler': 'external',
  'external-admin': 'external', 'password-env': 'external', 'password-file': 'external',
};

export interface ChosenProvider {
  readonly provider: Provider;
  readonly targets: TargetSpec[];
  /** What must never appear in a report or log. */
  secrets(): string[];
  /**
   * Checks what the targets need (binaries, engine, images) once the run's state folder
   * exists; returns lines for stderr (images used, leftovers removed).
   */
  prepare(): Promise<string[]>;
}

export interface ProviderRequest {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly config: FileConfig;
  readonly runId: string;
  readonly logDir: string;
  readonly lanes: number;
  readonly defaultTargets: string;
}

/** Parses and checks the flags only: nothing starts, nothing is written. */
export function chooseProvider(req: ProviderRequest): ChosenProvider {
  const flag = (n: string) => { const v = req.flags.get(n); return typeof v === 'string' ? v : undefined; };
  const kind = flag('provider') ?? 'local';
  if (!(PROVIDERS as readonly string[]).includes(kind)) throw new UsageError(`unknown provider "${kind}"; known: ${PROVIDERS.join(', ')}`);
  for (const [name, only] of Object.entries(ONLY)) {
    if (req.flags.has(name) && only !== kind) throw new UsageError(`--${name} applies to --provider ${only}, not ${kind}`);
  }
  const usage = <T>(f: () => T): T => {
    try { return f(); } catch (e) { throw new UsageError((e as Error).message); }
  };

  if (kind === 'external') return usage(() => external(flag, req));
  const targets = usage(() => parseTargets(flag('targets') ?? req.config.targets ?? req.defaultTargets));

  if (kind === 'docker') {
    const images = usage(() => parseImageOverrides(flag('image')));
    const docker = new DockerProvider({ runId: req.runId, logDir: req.logDir, lanes: req.lanes, images });
    return {
      provider: docker, targets, secrets: () => docker.secrets(),
      async prepare() {
        const leftovers = await docker.prepare(targets);
        const refs = await docker.imageRefs();
        return [
          ...(leftovers ? [`removed ${leftovers} container(s) left by an earlier run that was killed`] : []),
          `images: ${Object.entries(refs).map(([c, r]) => `${c}=${r}`).join(', ')}`,
        ];
      },
    };
  }

  const poolerBinaries = { ...(req.config.poolers ?? {}) };
  for (const t of targets) if (t.pooler && flag(`${t.pooler}-bin`)) poolerBinaries[t.pooler] = path.resolve(flag(`${t.pooler}-bin`)!);
  const local = new LocalProvider({
    runId: req.runId, logDir: req.logDir, allowInstall: !req.flags.has('no-install'), lanes: req.lanes,
    pgBinDir: flag('pg-bindir') ? path.resolve(flag('pg-bindir')!) : req.config.pgBinDir, poolerBinaries,
  });
  return { provider: local, targets, secrets: () => local.secrets(), async prepare() { local.checkBinaries(targets); return []; } };
}

function external(flag: (n: string) => string | undefined, req: ProviderRequest): ChosenProvider {
  const need = (n: string, example: string) => {
    const v = flag(n);
    if (!v) throw new UsageError(`--provider external needs --${n} (e.g. --${n} ${example})`);
    return v;
  };
  const poolerText = need('external-pooler', 'pgbouncer:transaction');
  const pooler = parseTarget(poolerText);
  if (!pooler.pooler) throw new UsageError('--external-pooler names the pooler and its mode, e.g. pgbouncer:transaction (direct is the --external-direct URL)');
  if (flag('targets')) throw new UsageError('with --provider external the targets are direct (--external-direct) and --external-pooler; leave out --targets');
  if (req.flags.has('lanes')) throw new UsageError('--lanes does not apply to --provider external: give one URL per lane (comma lists) instead');
  const pooled = parseEndpoints('external-pooled', need('external-pooled', 'postgres://app@pooler.example:6432/appdb'));
  const direct = parseEndpoints('external-direct', need('external-direct', 'postgres://app@db.example:5432/appdb'));
  const single = flag('external-single') ? parseEndpoints('external-single', flag('external-single')!) : pooled;
  if (direct.length !== pooled.length || single.length !== pooled.length) {
    throw new UsageError(`--external-pooled, --external-single and --external-direct give one URL per lane: got ${pooled.length}, ${single.length} and ${direct.length}`);
  }
  const admin = flag('external-admin') ? parseEndpoint('external-admin', flag('external-admin')!) : undefined;
  const password = readPassword({ env: flag('password-env'), file: flag('password-file') });
  const provider = new ExternalProvider({ pooler, admin, password, lanes: pooled.map((p, i) => ({ pooled: p, single: single[i], direct: direct[i] })) });
  const note = `external ${pooler.id}: ${pooled.length} lane(s); direct runs first, then the pooler, on the same database${admin ? '' : ' (no --external-admin: the quiesce only ends the lane\'s backends)'}`;
  return { provider, targets: provider.targets(), secrets: () => provider.secrets(), prepare: async () => [note] };
}
