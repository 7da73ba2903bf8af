// Every option poolcheck takes, declared once: parsing (node:util parseArgs), validation, the
// help text and poolcheck.config.json are all derived from this table.
import { driverIds } from '../drivers/registry.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { poolerIds, poolers } from '../poolers/registry.ts';
import { SUITES } from '../targets/providers/docker-images.ts';

export const COMMANDS = ['run', 'fuzz', 'list', 'images', 'merge', 'diff', 'repro', 'doctor'] as const;
export type Command = (typeof COMMANDS)[number];
export const PROVIDERS = ['local', 'docker', 'external'] as const;
export type ProviderKind = (typeof PROVIDERS)[number];

/** How an option's value is read: text, a comma list, a whole number in a range, a path, one of a few words, or a flag. */
export type ValueKind =
  | { readonly kind: 'text' }
  | { readonly kind: 'list' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'path' }
  /** Several paths: a comma list or a repeated option (a JSON array in the config file), each resolved. */
  | { readonly kind: 'paths' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** False unless given: a flag needs no default of its own. */
  | { readonly kind: 'flag' };

/** The value an option of this kind holds once read (an enum's: one of its words). */
export type ValueOf<K extends ValueKind> = K extends { readonly kind: 'flag' }
  ? boolean
  : K extends { readonly kind: 'int' }
    ? number
    : K extends { readonly kind: 'list' | 'paths' }
      ? readonly string[]
      : K extends { readonly kind: 'enum'; readonly values: ReadonlyArray<infer E> }
        ? E
        : string;

interface SpecCommon {
  /** The value's placeholder in the help: LIST, DIR, MS. */
  readonly arg?: string;
  readonly help: string;
  /** Which commands take it. */
  readonly commands: readonly Command[];
  /** Only this provider reads it; naming it with another is a usage error. */
  readonly provider?: ProviderKind;
  /** Repeating it adds values (--image a=x --image b=y) instead of replacing. */
  readonly repeatable?: true;
  /** Its key in poolcheck.config.json ("poolers.pgbouncer" is inside the "poolers" object). */
  readonly config?: string;
  /** The help section it is listed in. */
  readonly section: 'run' | 'fuzz' | 'ci' | 'local' | 'docker' | 'external' | 'images' | 'repro' | 'general';
  /**
   * What leaving it out means, for an option with no value to default to (the help prints it
   * as its default): its absence is read by the code that takes it (e.g. PGPASSWORD, unless
   * --password-env names another variable).
   */
  readonly unset?: string;
}

/** One option: how its value is read, and the value it has when neither the command line nor the config file gives one. */
interface SpecOf<K extends ValueKind> extends SpecCommon {
  readonly value: K;
  readonly default?: ValueOf<K>;
  /** Where a command's default differs (fuzz runs one driver and writes its own folder). */
  readonly commandDefaults?: Partial<Record<Command, ValueOf<K>>>;
}

/** A default of the wrong type for its kind (a word for a number) does not compile. */
export type OptionSpec = { [K in ValueKind['kind']]: SpecOf<Extract<ValueKind, { readonly kind: K }>> }[ValueKind['kind']];

const text = { kind: 'text' } as const;
const list = { kind: 'list' } as const;
const flag = { kind: 'flag' } as const;
const pathValue = { kind: 'path' } as const;
const paths = { kind: 'paths' } as const;

/** The maximum a Node timer takes (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const STATIC = {
  targets: {
    value: list,
    arg: 'LIST',
    commands: ['run', 'fuzz', 'doctor'],
    config: 'targets',
    section: 'run',
    default: ['direct', ...poolerIds.flatMap((id) => poolers[id].defaultModes.map((mode) => `${id}:${mode}`))],
    help: 'comma list of <pooler>[:<mode>]; direct (the baseline) always runs',
  },
  drivers: {
    value: list,
    arg: 'LIST',
    commands: ['run', 'fuzz', 'doctor'],
    config: 'drivers',
    section: 'run',
    default: driverIds,
    commandDefaults: { fuzz: ['raw'] },
    help: 'comma list (poolcheck list drivers)',
  },
  scenarios: {
    value: list,
    arg: 'GLOBS',
    commands: ['run'],
    config: 'scenarios',
    section: 'run',
    help: "comma list of globs over scenario ids or category names, e.g. 'cancel,sequences/currval-*'; !GLOB leaves out what it matches ('cancel,!cancel/own-*'; alone: the default selection less it); cases:DIR selects every scenario of a case folder (cases:NAME by its name, cases:cases for suites/cases)",
  },
  cases: {
    value: paths,
    arg: 'DIR',
    commands: ['run', 'list', 'repro'],
    repeatable: true,
    config: 'cases',
    section: 'run',
    default: [],
    help: 'a folder of case files (*.yaml, and *.ts modules whose default export is a scenario or a list), loaded beside the shipped catalogue',
  },
  out: {
    value: pathValue,
    arg: 'DIR',
    commands: ['run', 'fuzz'],
    config: 'out',
    section: 'run',
    default: 'reports/latest',
    commandDefaults: { fuzz: 'reports/fuzz' },
    help: 'output folder (results.json, junit.xml, summary.md, transcripts/, logs/)',
  },
  provider: {
    value: { kind: 'enum', values: PROVIDERS },
    arg: 'NAME',
    commands: ['run', 'fuzz'],
    section: 'run',
    default: 'local',
    help: `${PROVIDERS.join(', ')}: child processes, containers on the host's network, or a pooler already running`,
  },
  profile: {
    value: list,
    arg: 'FILE',
    commands: ['run', 'fuzz'],
    repeatable: true,
    config: 'profiles',
    section: 'run',
    default: [],
    help: 'a profile file (YAML, the schema of the built-in profiles): what a pooler is expected to do, for a pooler poolcheck has no profile for or instead of its own',
  },
  config: {
    value: pathValue,
    arg: 'FILE',
    commands: ['run', 'fuzz', 'list', 'repro', 'doctor'],
    section: 'run',
    unset: "./poolcheck.config.json, or ./poolcheck.config.ts written with defineConfig from 'poolcheck', if present",
    help: 'a file of defaults for these options: JSON, or a module exporting them',
  },
  'step-timeout': {
    value: { kind: 'int', min: 100, max: MAX_TIMER_MS },
    arg: 'MS',
    commands: ['run', 'fuzz'],
    config: 'stepTimeoutMs',
    section: 'run',
    default: TIMEOUT_MS.step,
    help: 'deadline for each step, in milliseconds',
  },
  'stress-clients': {
    value: { kind: 'int', min: 1, max: 1000 },
    arg: 'N',
    commands: ['run'],
    config: 'stressClients',
    section: 'run',
    unset: "the scenario's own, a few hundred",
    help: 'clients at once in each stress scenario (category stress, run only when --scenarios names it)',
  },
  lanes: {
    value: { kind: 'int', min: 1, max: 16 },
    arg: 'N',
    commands: ['run'],
    config: 'lanes',
    section: 'run',
    default: 3,
    help: 'scenarios run at once per target, each lane with its own database and pools (a target that finishes early lends its share to the others)',
  },
  quiet: { value: flag, commands: ['run', 'fuzz'], section: 'run', help: 'no progress on stderr' },
  seconds: {
    value: { kind: 'int', min: 1, max: 86_400 },
    arg: 'N',
    commands: ['fuzz'],
    section: 'fuzz',
    default: 60,
    help: 'generate and run programs for N seconds, from when the servers are up; a shrink under way then gets up to a quarter of that more',
  },
  seed: {
    value: text,
    arg: 'S',
    commands: ['fuzz'],
    section: 'fuzz',
    unset: 'a new one, printed',
    help: 'the seed the programs are drawn from (any text): the same seed gives the same programs',
  },
  'stress-roles': {
    value: { kind: 'int', min: 1, max: 10_000 },
    arg: 'N',
    commands: ['run'],
    config: 'stressRoles',
    section: 'run',
    unset: "the scenario's own, a few hundred",
    help: 'roles that log in, a pool each, in stress/many-pools-* (run only when --scenarios names it)',
  },
  shard: {
    value: text,
    arg: 'I/N',
    commands: ['run'],
    section: 'ci',
    help: 'run part I of N of the matrix (whole scenario-and-driver groups on every target, balanced by estimated cost); poolcheck merge joins the parts',
  },
  'repeat-each': {
    value: { kind: 'int', min: 1, max: 100 },
    arg: 'N',
    commands: ['run'],
    config: 'repeatEach',
    section: 'ci',
    default: 1,
    help: 'run every result N times; attempts that disagree make it flaky',
  },
  retries: {
    value: { kind: 'int', min: 0, max: 10 },
    arg: 'N',
    commands: ['run'],
    config: 'retries',
    section: 'ci',
    default: 0,
    help: 'run a result that fails (regression, changed, error) up to N more times, until it does not; attempts that disagree make it flaky',
  },
  'max-failures': {
    value: { kind: 'int', min: 1, max: 1_000_000 },
    arg: 'N',
    commands: ['run'],
    config: 'maxFailures',
    section: 'ci',
    help: 'start no further scenario once N results have failed (regression, changed or error; with --strict improved and flaky too): what runs finishes, the rest is reported as not run',
  },
  strict: {
    value: flag,
    commands: ['run', 'merge', 'list'],
    config: 'strict',
    section: 'ci',
    help: 'improved and flaky results fail the run too (exit 1), so a stale profile cannot rot in CI; a step that checks nothing (an unchecked SHOW or SELECT, rows of * only) is an error, not a warning',
  },
  baseline: {
    value: pathValue,
    arg: 'OLD',
    commands: ['run', 'merge'],
    section: 'ci',
    help: 'an earlier out folder or results.json: what changed since is written to diff.md and results.json',
  },
  'pg-bindir': {
    value: pathValue,
    arg: 'DIR',
    commands: ['run', 'fuzz', 'doctor'],
    provider: 'local',
    config: 'pgBinDir',
    section: 'local',
    unset: "Debian's newest /usr/lib/postgresql/N/bin",
    help: 'PostgreSQL bin directory to use',
  },
  'no-install': {
    value: flag,
    commands: ['run', 'fuzz'],
    section: 'local',
    help: 'when a server binary or driver package is missing, fail instead of installing its Debian package (as root)',
  },
  suite: {
    value: { kind: 'enum', values: SUITES },
    arg: 'SUITE',
    commands: ['run', 'fuzz', 'images'],
    provider: 'docker',
    config: 'suite',
    section: 'docker',
    default: 'bookworm',
    help: `the Debian release poolcheck's images come from: ${SUITES.join(', ')}; it fixes the PostgreSQL and pooler versions`,
  },
  image: {
    value: list,
    arg: 'COMPONENT=IMAGE',
    commands: ['run', 'fuzz'],
    provider: 'docker',
    repeatable: true,
    section: 'docker',
    help: "run a component from this image instead of poolcheck's own, e.g. pgbouncer=registry.example/pgbouncer:1.24.1-rc1; components: postgres and the poolers",
  },
  'external-pooler': {
    value: text,
    arg: 'POOLER:MODE',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    help: 'which pooler and mode it is, so that its profile applies: e.g. pgbouncer:transaction',
  },
  'external-pooled': {
    value: list,
    arg: 'URL',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    help: 'postgres://user@host:port/db through the pooler; a comma list gives one lane per URL',
  },
  'external-direct': {
    value: list,
    arg: 'URL',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    help: 'postgres://user@host:port/db straight to the same database (the baseline), per lane',
  },
  'external-single': {
    value: list,
    arg: 'URL',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    unset: 'the --external-pooled URLs',
    help: 'a pool with one server connection over the same database and role, per lane',
  },
  'external-admin': {
    value: text,
    arg: 'URL',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    help: "the pooler's admin console, e.g. postgres://user@host:6432/pgbouncer: the quiesce between scenarios then waits until the pooler has dropped its server connections",
  },
  'password-env': {
    value: text,
    arg: 'VAR',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    unset: 'PGPASSWORD, if set',
    help: 'the environment variable holding the password; never put it in a URL',
  },
  'password-file': {
    value: pathValue,
    arg: 'FILE',
    commands: ['run', 'fuzz'],
    provider: 'external',
    section: 'external',
    help: 'a file whose first line is the password',
  },
  force: { value: flag, commands: ['images'], section: 'images', help: 'bootstrap: make the base image again even if it exists' },
  from: { value: pathValue, arg: 'OUT', commands: ['repro'], section: 'repro', help: 'the out folder of the run that found it (its --out)' },
  result: {
    value: text,
    arg: 'SCENARIO@TARGET/DRIVER',
    commands: ['repro'],
    section: 'repro',
    help: "the diverging result to reproduce, e.g. 'session-state/set-visible-to-next-client@pgbouncer:transaction/raw'",
  },
  to: {
    value: pathValue,
    arg: 'DIR',
    commands: ['repro'],
    section: 'repro',
    help: 'a new or empty folder for the case file, SESSION.pgproto files, repro.mjs and REPORT.md',
  },
  help: { value: flag, commands: [...COMMANDS], section: 'general', help: 'this text' },
  version: { value: flag, commands: [...COMMANDS], section: 'general', help: "poolcheck's version" },
} as const satisfies Record<string, OptionSpec>;

/** `--<pooler>-bin PATH`: the pooler binary to test, for each pooler poolcheck can start. */
const binaries = Object.fromEntries(
  poolerIds.map((id): [string, OptionSpec] => [
    `${id}-bin`,
    {
      value: pathValue,
      arg: 'PATH',
      commands: ['run', 'fuzz', 'doctor'],
      provider: 'local',
      config: `poolers.${id}`,
      section: 'local',
      unset: 'the installed one',
      help: `the ${id} binary to test`,
    },
  ]),
) as Record<`${(typeof poolerIds)[number]}-bin`, OptionSpec>;

export const OPTIONS: Readonly<Record<OptionName, OptionSpec>> = { ...STATIC, ...binaries };
/** The table as the compiler sees it (each entry's literal value kind and config key), for the config file's type. */
export type StaticOptions = typeof STATIC;
export type OptionName = keyof typeof STATIC | `${(typeof poolerIds)[number]}-bin`;
export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

type SpecOfName<N extends OptionName> = N extends keyof StaticOptions ? StaticOptions[N] : { readonly value: { readonly kind: 'path' } };

/**
 * The type an option's value has once read: its kind's (a number, a list, one of an enum's
 * words), and undefined only where the table gives it no default (a flag is false unless given).
 */
export type OptionValue<N extends OptionName> =
  | ValueOf<SpecOfName<N>['value']>
  | (SpecOfName<N> extends { readonly default: unknown } | { readonly value: { readonly kind: 'flag' } } ? never : undefined);

/** The option's value when neither the command line nor a config file gives one: the table's default. */
export function defaultValue<N extends OptionName>(name: N, command?: Command): OptionValue<N> {
  const spec = OPTIONS[name];
  const own = command ? (spec.commandDefaults as Partial<Record<Command, unknown>> | undefined)?.[command] : undefined;
  return (own ?? spec.default ?? (spec.value.kind === 'flag' ? false : undefined)) as OptionValue<N>;
}
