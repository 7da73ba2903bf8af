import { expect } from 'chai';
import { helpText } from '../../harness/cli/help.ts';
import { parseCommandLine } from '../../harness/cli/args.ts';
import { COMMANDS, OPTION_NAMES, OPTIONS } from '../../harness/cli/options.ts';

describe('help', () => {
  it('takes -h as --help, before or after the command', () => {
    expect(parseCommandLine(['-h']).options.get('help')).to.equal(true);
    const line = parseCommandLine(['run', '-h']);
    expect(line.command).to.equal('run');
    expect(line.options.get('help')).to.equal(true);
  });

  it('gives each command its own options and exit codes, and only those', () => {
    for (const command of COMMANDS) {
      const text = helpText('0.0.0', command);
      expect(text.split('\n')[0]).to.match(new RegExp(`^poolcheck ${command}\\b`));
      for (const name of OPTION_NAMES) {
        const listed = new RegExp(`^  --${name}\\b`, 'm').test(text);
        expect(listed, `${command} --${name}`).to.equal(OPTIONS[name].commands.includes(command));
      }
      expect(text).to.match(/^exit codes: 0/m);
    }
  });

  it('lists every command and the exit codes in the whole help', () => {
    const text = helpText('0.0.0');
    for (const command of COMMANDS) expect(text).to.contain(`poolcheck ${command}`);
    expect(text).to.contain('a changed divergence');
    expect(text).to.contain('diff: 1 when something is new');
  });
});
