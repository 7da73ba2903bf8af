import { maskConnectionStrings } from '../kernel/connection-string-mask.ts';
import { catchStrayErrors } from '../kernel/strays.ts';
import { ModuleLoadTimeout } from '../scenario/catalog.ts';
import { BinaryAccessError, MissingBinaryError } from '../targets/binaries.ts';
import { parseCommandLine } from './args.ts';
import { UsageError } from '../kernel/errors.ts';
import { helpText } from './help.ts';
import { diffCommand } from './diff-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { fuzzCommand } from './fuzz-command.ts';
import { COMMANDS, type Command } from './options.ts';
import { imagesCommand } from './images-command.ts';
import { listCommand } from './list-command.ts';
import { mergeCommand } from './merge-command.ts';
import { reproCommand } from './repro-command.ts';
import { runCommand } from './run-command.ts';
import { terminalText } from './terminal-text.ts';
import { watchOutputStreams } from '../kernel/output-streams.ts';
import { POOLCHECK_VERSION } from '../kernel/version.ts';

const HELP = (command?: Command) => helpText(POOLCHECK_VERSION, command);

const isCommand = (word: string | undefined): word is Command => (COMMANDS as readonly string[]).includes(word ?? '');

export async function main(argv: string[]): Promise<number> {
  // Errors quote what they were given or saw: a connection string's password goes no further,
  // nor does an escape sequence (a stack, asked for with POOLCHECK_DEBUG, keeps its lines).
  const say = (text: string) => process.stderr.write(`poolcheck: ${maskConnectionStrings(text).split('\n').map(terminalText).join('\n')}\n`);
  // A reader that stops early (`poolcheck list scenarios | head`) closes the pipe: what is left
  // to print has nowhere to go, which is no error of a command; a run ends as interrupted
  // (run/execute-run.ts).
  watchOutputStreams();
  catchStrayErrors(say);
  try {
    const { command, positionals, options } = parseCommandLine(argv);
    if (options.get('version') || positionals[0] === 'version') {
      process.stdout.write(`${POOLCHECK_VERSION}\n`);
      return 0;
    }
    if (options.get('help')) {
      process.stdout.write(HELP(command));
      return 0;
    }
    if (!command && positionals[0] === 'help') {
      if (positionals[1] !== undefined && !isCommand(positionals[1]))
        throw new UsageError(`no command "${positionals[1]}"; commands: ${COMMANDS.join(', ')}`);
      process.stdout.write(HELP(positionals[1]));
      return 0;
    }
    if (!command) {
      if (positionals[0]) throw new UsageError(`unknown command "${positionals[0]}"; commands: ${COMMANDS.join(', ')} (poolcheck --help)`);
      process.stdout.write(HELP());
      return 2;
    }
    if (command === 'run') return await runCommand(options, positionals);
    if (command === 'fuzz') return await fuzzCommand(options, positionals);
    if (command === 'list') return await listCommand(positionals[0], options);
    if (command === 'merge') return await mergeCommand(positionals, options);
    if (command === 'diff') return await diffCommand(positionals);
    if (command === 'repro') return await reproCommand(positionals, options);
    if (command === 'doctor') return await doctorCommand(options, positionals);
    return await imagesCommand(positionals[0], positionals.slice(1), options);
  } catch (err) {
    // One line for the user; the stack only when asked for (POOLCHECK_DEBUG=1) or for a fault of ours.
    const known =
      err instanceof UsageError ||
      err instanceof MissingBinaryError ||
      err instanceof BinaryAccessError ||
      err instanceof ModuleLoadTimeout ||
      !process.env.POOLCHECK_DEBUG;
    say(known ? (err as Error).message.split('\n')[0] : ((err as Error).stack ?? String(err)));
    // A module that never finished loading still runs in this process (a timer, a socket it
    // opened), which would keep poolcheck alive after its last word: only exiting stops it.
    if (err instanceof ModuleLoadTimeout) process.exit(2);
    return 2;
  }
}
