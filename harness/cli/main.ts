import { MissingBinaryError } from '../targets/binaries.ts';
import { parseArgs, UsageError } from './args.ts';
import { CaseFileError } from '../scenario/case-file.ts';
import { listCommand } from './list-command.ts';
import { DEFAULT_LANES, DEFAULT_OUT, DEFAULT_TARGETS, runCommand } from './run-command.ts';
import { POOLCHECK_VERSION } from './version.ts';

const HELP = `poolcheck ${POOLCHECK_VERSION}: does a PostgreSQL connection pooler behave like PostgreSQL?

usage:
  poolcheck run  [--targets LIST] [--drivers LIST] [--scenarios GLOBS] [--out DIR]
                 [--provider local] [--pg-bindir DIR] [--pgbouncer-bin PATH]
                 [--config FILE] [--step-timeout MS] [--lanes N] [--no-install] [--quiet]
  poolcheck list targets|drivers|scenarios

run:
  --targets     comma list of <pooler>[:<mode>]; direct (the baseline) always runs
                default: ${DEFAULT_TARGETS}
  --drivers     comma list (poolcheck list drivers); default: all
  --scenarios   comma list of globs over scenario ids or category names, e.g. 'cancel,sequences/currval-*'
  --out         output folder (results.json, junit.xml, summary.md, transcripts/, logs/); default: ${DEFAULT_OUT}
  --pg-bindir   PostgreSQL bin directory to use (default: Debian's newest /usr/lib/postgresql/N/bin)
  --pgbouncer-bin  the pgbouncer binary to test (default: the installed one)
  --config      JSON file with pgBinDir, poolers {id: binary}, targets, drivers, scenarios, out
                (default: ./poolcheck.config.json if present)
  --step-timeout  deadline for each step in ms (default 5000)
  --lanes       scenarios run in parallel per target, each lane with its own database and pools
                (default ${DEFAULT_LANES})
  --no-install  when a server binary is missing, fail instead of installing its Debian package (as root)

exit codes: 0 no regression and no error; 1 at least one regression; 2 harness error or bad usage
`;

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv, new Set(['no-install', 'quiet', 'help']),
      new Set(['targets', 'drivers', 'scenarios', 'out', 'provider', 'pg-bindir', 'pgbouncer-bin', 'config', 'step-timeout', 'lanes']));
    const [command, ...rest] = args.positionals;
    if (args.flags.has('help') || command === 'help' || !command) { process.stdout.write(HELP); return command ? 0 : 2; }
    if (command === 'run') return await runCommand(args);
    if (command === 'list') return await listCommand(rest[0]);
    if (command === '--version' || command === 'version') { process.stdout.write(`${POOLCHECK_VERSION}\n`); return 0; }
    throw new UsageError(`unknown command "${command}"; commands: run, list (poolcheck --help)`);
  } catch (err) {
    // One line for the user; the stack only when asked for (POOLCHECK_DEBUG=1) or for a fault of ours.
    const known = err instanceof UsageError || err instanceof MissingBinaryError || err instanceof CaseFileError || !process.env.POOLCHECK_DEBUG;
    process.stderr.write(`poolcheck: ${known ? (err as Error).message.split('\n')[0] : (err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
