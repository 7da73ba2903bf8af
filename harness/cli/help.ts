// `poolcheck --help`, written from the option table so it never disagrees with the parser.
import { OPTION_NAMES, OPTIONS, type OptionSpec } from './options.ts';

const SECTIONS: ReadonlyArray<[OptionSpec['section'], string]> = [
  ['run', 'run'],
  ['ci', 'CI: shards, attempts, strictness, run-to-run diff (GITHUB_STEP_SUMMARY set: GitHub mode, see the README)'],
  ['local', 'local provider (the default: PostgreSQL and the poolers as child processes)'],
  ['docker', 'docker provider (a Docker engine: dockerd --bridge=none --iptables=false --ip6tables=false)'],
  ['external', 'external provider (runs direct first, then the pooler, on the same database; give poolcheck a database of its own)'],
  ['images', 'images'],
  ['repro', 'repro (with --cases DIR and --config as for run: the catalogue the run loaded)'],
  ['general', 'general'],
];

export function helpText(version: string, defaults: Readonly<Record<string, string>>): string {
  const out = [
    `poolcheck ${version}: does a PostgreSQL connection pooler behave like PostgreSQL?`,
    '',
    'usage:',
    '  poolcheck run  [options]                     certify targets (default provider: local)',
    '  poolcheck list targets|drivers|scenarios',
    '  poolcheck images bootstrap | build [COMPONENT...] | list',
    '  poolcheck merge OUT DIR...                   the reports of a whole run from its shards\' out folders (--shard i/n)',
    '  poolcheck diff OLD NEW                       what changed between two runs (out folders or results.json files), per target',
    '  poolcheck repro --from OUT --result SCENARIO@TARGET/DRIVER --to DIR',
    '                                               one divergence as a case file, pgproto data files, a Node script and REPORT.md',
  ];
  for (const [section, title] of SECTIONS) {
    out.push('', `${title}:`);
    for (const name of OPTION_NAMES.filter((n) => OPTIONS[n].section === section)) {
      const o = OPTIONS[name];
      const head = `  --${name}${o.arg ? ` ${o.arg}` : ''}`;
      const extra = [defaults[name] ? `default: ${defaults[name]}` : '', o.repeatable ? 'repeatable' : '', o.config ? `config: ${o.config}` : ''].filter(Boolean).join('; ');
      out.push(head.length < 30 ? `${head.padEnd(30)}${o.help}` : `${head}\n${''.padEnd(30)}${o.help}`);
      if (extra) out.push(`${''.padEnd(30)}(${extra})`);
    }
  }
  out.push('', 'images:', '  bootstrap     make debian:bookworm-slim locally (debootstrap + docker import) where no registry is reachable',
    '  build         build poolcheck\'s images from docker/ (docker build --network host)', '  list          the images poolcheck runs, and the version each reports',
    '', 'exit codes: 0 no regression and no error; 1 at least one regression (with --strict also improved or flaky; diff: something new); 2 harness error or bad usage', '');
  return out.join('\n');
}
