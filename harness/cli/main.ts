import { MissingBinaryError } from '../targets/binaries.ts';
import { parseArgs, UsageError } from './args.ts';
import { CaseFileError } from '../scenario/case-file.ts';
import { imagesCommand } from './images-command.ts';
import { listCommand } from './list-command.ts';
import { DEFAULT_LANES, DEFAULT_OUT, DEFAULT_TARGETS, runCommand } from './run-command.ts';
import { POOLCHECK_VERSION } from './version.ts';

const HELP = `poolcheck ${POOLCHECK_VERSION}: does a PostgreSQL connection pooler behave like PostgreSQL?

usage:
  poolcheck run  [--targets LIST] [--drivers LIST] [--scenarios GLOBS] [--out DIR]
                 [--provider local] [--pg-bindir DIR] [--<pooler>-bin PATH]
                 [--config FILE] [--step-timeout MS] [--lanes N] [--no-install] [--quiet]
  poolcheck run  --provider docker [--image COMPONENT=IMAGE[,...]] [run options]
  poolcheck run  --provider external --external-pooler POOLER:MODE --external-pooled URL
                 --external-direct URL [--external-single URL] [--external-admin URL]
                 [--password-env VAR | --password-file FILE] [run options]
  poolcheck list targets|drivers|scenarios
  poolcheck images bootstrap [--force] | build [COMPONENT...] | list

run:
  --targets     comma list of <pooler>[:<mode>]; direct (the baseline) always runs
                default: ${DEFAULT_TARGETS}
  --drivers     comma list (poolcheck list drivers); default: all
  --scenarios   comma list of globs over scenario ids or category names, e.g. 'cancel,sequences/currval-*'
  --out         output folder (results.json, junit.xml, summary.md, transcripts/, logs/); default: ${DEFAULT_OUT}
  --pg-bindir   PostgreSQL bin directory to use (default: Debian's newest /usr/lib/postgresql/N/bin)
  --pgbouncer-bin, --pgpool-bin  the pooler binary to test (default: the installed one)
  --config      JSON file with pgBinDir, poolers {id: binary}, targets, drivers, scenarios, out
                (default: ./poolcheck.config.json if present)
  --step-timeout  deadline for each step in ms (default 5000)
  --lanes       scenarios run in parallel per target, each lane with its own database and pools
                (default ${DEFAULT_LANES})
  --no-install  when a server binary is missing, fail instead of installing its Debian package (as root)
  --provider    local (child processes, the default), docker (containers on the host's network),
                external (a pooler already running somewhere)

docker (a Docker engine: dockerd --bridge=none --iptables=false --ip6tables=false):
  --image       run a component from this image instead of poolcheck's own (poolcheck images build),
                e.g. pgbouncer=registry.example/pgbouncer:1.24.1-rc1; components: postgres and the poolers

external (runs direct first, then the pooler, on the same database; give poolcheck a database of its own):
  --external-pooler  which pooler and mode it is, so that its profile applies: e.g. pgbouncer:transaction
  --external-pooled  postgres://user@host:port/db through the pooler; a comma list gives one lane per URL
  --external-direct  postgres://user@host:port/db straight to the same database (the baseline), per lane
  --external-single  a pool with one server connection over the same database, per lane (default: pooled)
  --external-admin   the pooler's admin console, e.g. postgres://user@host:6432/pgbouncer: the quiesce
                     between scenarios then waits until the pooler has dropped its server connections
  --password-env / --password-file  where the password is (default: PGPASSWORD); never in a URL

images:
  bootstrap     make debian:bookworm-slim locally (debootstrap + docker import) where no registry is reachable
  build         build poolcheck's images from docker/ (docker build --network host)
  list          the images poolcheck runs, and the version each reports

exit codes: 0 no regression and no error; 1 at least one regression; 2 harness error or bad usage
`;

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv, new Set(['no-install', 'quiet', 'help', 'force']),
      new Set(['targets', 'drivers', 'scenarios', 'out', 'provider', 'pg-bindir', 'pgbouncer-bin', 'pgpool-bin', 'config', 'step-timeout', 'lanes',
        'image', 'external-pooled', 'external-single', 'external-direct', 'external-pooler', 'external-admin', 'password-env', 'password-file']));
    const [command, ...rest] = args.positionals;
    if (args.flags.has('help') || command === 'help' || !command) { process.stdout.write(HELP); return command ? 0 : 2; }
    if (command === 'run') return await runCommand(args);
    if (command === 'list') return await listCommand(rest[0]);
    if (command === 'images') return await imagesCommand(rest[0], rest.slice(1), args.flags);
    if (command === '--version' || command === 'version') { process.stdout.write(`${POOLCHECK_VERSION}\n`); return 0; }
    throw new UsageError(`unknown command "${command}"; commands: run, list, images (poolcheck --help)`);
  } catch (err) {
    // One line for the user; the stack only when asked for (POOLCHECK_DEBUG=1) or for a fault of ours.
    const known = err instanceof UsageError || err instanceof MissingBinaryError || err instanceof CaseFileError || !process.env.POOLCHECK_DEBUG;
    process.stderr.write(`poolcheck: ${known ? (err as Error).message.split('\n')[0] : (err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
