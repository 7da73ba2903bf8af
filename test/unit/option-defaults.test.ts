import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine, readValue } from '../../harness/cli/args.ts';
import { loadConfig } from '../../harness/cli/config.ts';
import { defaultText, helpText } from '../../harness/cli/help.ts';
import { defaultValue, OPTION_NAMES, OPTIONS } from '../../harness/cli/options.ts';
import { poolers } from '../../harness/poolers/registry.ts';
import { tempDir } from '../temp-dir.ts';

/** The help line that follows an option's head: its (default: ...; config: ...) note. */
function noteOf(text: string, name: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^  --${name}\\b`).test(l));
  expect(at, `--${name} in the help`).to.be.greaterThan(-1);
  const next = lines.findIndex((l, i) => i > at && !/^ {30}/.test(l));
  const note = lines.slice(at + 1, next).find((l) => /^ {30}\(/.test(l));
  return note ?? '';
}

describe('option defaults and value types (the option table)', () => {
  it('prints each default the table holds, and no help text names a default of its own', () => {
    const text = helpText('0.0.0');
    for (const name of OPTION_NAMES) {
      const expected = defaultText(name);
      const note = noteOf(text, name);
      if (expected === undefined) expect(note, `--${name}`).not.to.contain('default:');
      else expect(note, `--${name}`).to.contain(`default: ${expected}`);
      expect(OPTIONS[name].help, `--${name}'s help`).not.to.match(/default:/i);
    }
    // Derived from the table, not a copy of it: the list default is the table's own, joined.
    expect(noteOf(text, 'targets')).to.contain(`default: ${(OPTIONS.targets.default as readonly string[]).join(',')}`);
    expect(noteOf(text, 'lanes')).to.contain(`default: ${String(defaultValue('lanes'))}`);
  });

  it("runs by default each pooler's default modes, as its adapter names them", () => {
    const modes = Object.values(poolers).flatMap((a) => a.defaultModes.map((m) => `${a.id}:${m}`));
    for (const a of Object.values(poolers)) expect(a.modes, a.id).to.include.members([...a.defaultModes]);
    expect(OPTIONS.targets.default).to.deep.equal(['direct', ...modes]);
    expect(modes).to.include('pgbouncer:transaction');
  });

  it("holds defaults of the option's own type: each reads back as itself", () => {
    for (const name of OPTION_NAMES) {
      const d = OPTIONS[name].default;
      // An empty list is the option left out: no value given reads back as it.
      if (d === undefined || (Array.isArray(d) && !d.length)) continue;
      const raw = Array.isArray(d) ? [d.join(',')] : [d];
      expect(readValue(`--${name}`, OPTIONS[name], raw, '/'), `--${name}`).to.deep.equal(
        OPTIONS[name].value.kind === 'path' ? path.resolve('/', d as string) : d,
      );
    }
  });

  it("gives a parsed option its typed value, the table's default when not given", () => {
    const { options } = parseCommandLine(['run', '--lanes', '2', '--provider', 'docker']);
    expect(options.get('lanes')).to.equal(2);
    expect(options.get('provider')).to.equal('docker');
    expect(options.get('retries')).to.equal(defaultValue('retries'));
    expect(options.get('targets')).to.deep.equal(OPTIONS.targets.default);
    expect(options.has('targets')).to.equal(false);
    expect(options.get('strict')).to.equal(false);
    expect(options.get('shard')).to.equal(undefined);
  });

  it('says a value of the wrong type in one line naming the option, on the command line and in the config file', async () => {
    const refused = (argv: string[]) => {
      try {
        parseCommandLine(argv);
      } catch (e) {
        return (e as Error).message;
      }
      return expect.fail(`${argv.join(' ')} was accepted`);
    };
    for (const [argv, pattern] of [
      [['run', '--lanes', 'three'], /^--lanes takes a whole number from 1 to 16, not "three"$/],
      [['run', '--step-timeout', '1.5'], /^--step-timeout takes a whole number/],
      [['run', '--provider', 'dockr'], /^--provider is one of local, docker, external, not "dockr"; did you mean docker\?$/],
      [['images', 'list', '--suite', 'buster'], /^--suite is one of bookworm, trixie, sid, not "buster"$/],
      [['run', '--targets', ','], /^--targets names nothing/],
    ] as const) {
      const message = refused([...argv]);
      expect(message, argv.join(' ')).to.match(pattern);
      expect(message.split('\n'), argv.join(' ')).to.have.length(1);
    }
    const dir = tempDir('pc-option-types-');
    for (const [config, pattern] of [
      [{ lanes: 'three' }, /: "lanes" takes a whole number from 1 to 16, not "three"$/],
      [{ strict: 'yes' }, /: "strict" is true or false$/],
      [{ suite: 'buster' }, /: "suite" is one of bookworm, trixie, sid, not "buster"$/],
      [{ drivers: 7 }, /: "drivers" takes a comma list \(or, in the config file, an array of strings\), not 7$/],
    ] as const) {
      const file = path.join(dir, `${Object.keys(config)[0]}.json`);
      writeFileSync(file, JSON.stringify(config));
      const message = await loadConfig(file).then(
        () => expect.fail('loaded'),
        (e: Error) => e.message,
      );
      expect(message).to.match(pattern);
      expect(message.split('\n')).to.have.length(1);
    }
  });
});
