// `poolcheck --help` and `poolcheck COMMAND --help` (or -h, or `poolcheck help COMMAND`), written
// from the option table so they never disagree with the parser: a command's help lists the
// options that command takes, and nothing else; each option's default is the table's.
import { COMMANDS, defaultValue, OPTION_NAMES, OPTIONS, type Command, type OptionName, type OptionSpec, type ProviderKind } from './options.ts';

/** A provider's section title; the one the table defaults to says so. */
const providerTitle = (provider: ProviderKind, what: string) =>
  `${provider} provider (${provider === defaultValue('provider') ? 'the default: ' : ''}${what})`;

const SECTIONS: ReadonlyArray<[OptionSpec['section'], string]> = [
  ['run', 'run'],
  ['fuzz', 'fuzz'],
  ['ci', 'CI: shards, attempts, strictness, run-to-run diff (GITHUB_STEP_SUMMARY set: GitHub mode, see the README)'],
  ['local', providerTitle('local', 'PostgreSQL and the poolers as child processes')],
  ['docker', providerTitle('docker', 'a Docker engine: dockerd --bridge=none --iptables=false --ip6tables=false')],
  ['external', providerTitle('external', 'runs direct first, then the pooler, on the same database; give poolcheck a database of its own')],
  ['images', 'images'],
  ['repro', 'repro (with --cases DIR and --config as for run: the catalogue the run loaded)'],
  ['general', 'general'],
];

/** Each command's usage line and what it does. */
const USAGE: Readonly<Record<Command, readonly [string, string]>> = {
  run: ['poolcheck run  [options]', `certify targets (default provider: ${defaultValue('provider')})`],
  fuzz: [
    'poolcheck fuzz --targets LIST [--seconds N] [--seed S] [--out DIR]',
    'random multi-session programs run on PostgreSQL and the targets; each new divergence signature and each documented class met, shrunk to a case file (DIR/cases/, DIR/fuzz.json)',
  ],
  list: [
    'poolcheck list targets|drivers|scenarios|coverage',
    "what poolcheck knows: targets and their pools, drivers and what they can do, the scenarios, the anchor suites' coverage",
  ],
  images: ['poolcheck images bootstrap | build [COMPONENT...] | list', 'the images --provider docker runs'],
  merge: ['poolcheck merge OUT DIR...', "the reports of a whole run from its shards' out folders (--shard i/n)"],
  diff: ['poolcheck diff OLD NEW', 'what changed between two runs (out folders or results.json files), per target'],
  repro: [
    'poolcheck repro --from OUT --result SCENARIO@TARGET/DRIVER --to DIR',
    'one divergence of a run as a case file, pgproto data files, a Node script and REPORT.md, ready for an upstream issue',
  ],
  doctor: [
    'poolcheck doctor [--targets LIST] [--drivers LIST]',
    'what this machine has and lacks for those targets and drivers, and the command that installs each missing piece (installs nothing)',
  ],
};

const IMAGES = [
  'images:',
  '  bootstrap     make debian:bookworm-slim locally (debootstrap + docker import) where no registry is reachable',
  "  build         build poolcheck's images from docker/ (docker build --network host)",
  '  list          the images poolcheck runs, and the version each reports',
];

/** What each command's exit code means (run and merge: the same verdicts). */
const EXIT: Readonly<Record<Command, string>> = {
  run: '0 no regression, no changed divergence and no error; 1 a regression or a changed divergence (with --strict also an improved or flaky result); 2 an error result, a harness error or bad usage',
  fuzz: '0 no divergence but documented ones; 1 a new divergence signature (its case is in DIR/cases/); 2 a harness error or bad usage',
  merge: "0, 1 and 2 as poolcheck run's, for the merged run",
  diff: '0 nothing new; 1 something new (a result that passed now diverges or fails); 2 bad usage or an unreadable file',
  list: '0 listed; 2 when a scenario or case file is invalid (list scenarios) or bad usage',
  images: '0 done; 2 when an image cannot be made, or bad usage',
  repro: '0 written; 2 bad usage, an unknown result, or one that is not a divergence',
  doctor: '0 everything is there; 1 something is missing; 2 bad usage',
};

/** The option's default as the help prints it: the table's value (a list as its comma list), or what leaving it out means. */
export function defaultText(name: OptionName, command?: Command): string | undefined {
  const value = OPTIONS[name].value.kind === 'flag' ? undefined : (defaultValue(name, command) as string | number | readonly string[] | undefined);
  // An empty list is what leaving a list out gives: there is no default to print.
  if (value === undefined || (Array.isArray(value) && !value.length)) return OPTIONS[name].unset;
  return Array.isArray(value) ? value.join(',') : String(value);
}

function optionLines(command: Command | undefined): string[] {
  const out: string[] = [];
  for (const [section, title] of SECTIONS) {
    const names = OPTION_NAMES.filter((n) => OPTIONS[n].section === section && (!command || OPTIONS[n].commands.includes(command)));
    if (!names.length) continue;
    // A command's own options head its help as "options", whichever command it is.
    out.push('', `${command && section === 'run' ? 'options' : title}:`);
    for (const name of names) {
      const o = OPTIONS[name];
      const head = `  --${name}${o.arg ? ` ${o.arg}` : ''}${name === 'help' ? ', -h' : ''}`;
      const def = defaultText(name, command);
      const extra = [def !== undefined ? `default: ${def}` : '', o.repeatable ? 'repeatable' : '', o.config ? `config: ${o.config}` : '']
        .filter(Boolean)
        .join('; ');
      out.push(head.length < 30 ? `${head.padEnd(30)}${o.help}` : `${head}\n${''.padEnd(30)}${o.help}`);
      if (extra) out.push(`${''.padEnd(30)}(${extra})`);
    }
  }
  return out;
}

/** The whole help, or one command's (its usage, its options, its exit codes). */
export function helpText(version: string, command?: Command): string {
  if (command) {
    const [usage, what] = USAGE[command];
    return [
      `${usage}`,
      `  ${what}`,
      ...optionLines(command),
      ...(command === 'images' ? ['', ...IMAGES] : []),
      '',
      `exit codes: ${EXIT[command]}`,
      '',
    ].join('\n');
  }
  return [
    `poolcheck ${version}: does a PostgreSQL connection pooler behave like PostgreSQL?`,
    '',
    'usage:',
    ...COMMANDS.flatMap((c) => [`  ${USAGE[c][0]}`, `      ${USAGE[c][1]}`]),
    '  poolcheck help COMMAND, poolcheck COMMAND --help',
    "      one command's options and exit codes",
    ...optionLines(undefined),
    '',
    ...IMAGES,
    '',
    'exit codes (run, merge): 0 no regression and no error; 1 a regression or a changed divergence (with --strict also an improved or flaky result); 2 an error result, a harness error or bad usage',
    'diff: 1 when something is new; doctor: 1 when something is missing (poolcheck help COMMAND)',
    '',
  ].join('\n');
}
