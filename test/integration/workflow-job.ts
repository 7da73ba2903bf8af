// Runs one job of a GitHub Actions workflow in a local container, the way a GitHub runner runs a
// container job: every `run:` step as written, with the runner's shell (bash --noprofile --norc
// -eo pipefail), its working-directory, and GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, CI and
// GITHUB_ACTIONS set; `${{ }}` expressions from the values the test gives (any other is an
// error). The `uses:` steps are actions from GitHub, which cannot run here: each one the job
// uses has a stand-in that leaves the workspace as the action would (checkout: files in place;
// setup-node: node and npm on PATH; download-artifact: the artifact's files; upload-artifact:
// its path must exist). A step the job has and no stand-in knows fails the run.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface WorkflowStep {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly 'working-directory'?: string;
  readonly if?: string;
}

export interface Job {
  readonly container: string;
  readonly steps: readonly WorkflowStep[];
}

/** Where the job's files are on the host, and what each action's stand-in puts in place. */
export interface JobHost {
  /** The host folder mounted as the workspace. */
  readonly workspace: string;
  /** actions/checkout: fills `into` (an absolute host path) with the repository named by `with.repository` (or the workflow's own). */
  checkout(into: string, step: WorkflowStep): void;
  /** actions/download-artifact: the host file or folder that artifact `name` holds. */
  artifact(name: string): string;
  /** Values for ${{ }} expressions, e.g. { 'matrix.shard': '1' }. */
  readonly expressions: Readonly<Record<string, string>>;
  /** Extra `docker run` arguments (mounts that make a stand-in's work faster, such as npm's cache). */
  readonly dockerArgs?: readonly string[];
}

export interface StepOutcome {
  readonly step: string;
  readonly status: number;
  readonly output: string;
}

/** GitHub's workspace path in a container job. */
export const WORKSPACE = '/__w/repo/repo';
const TOOL = '/__t/node/20/x64';
const SUMMARY = '/__w/_temp/step_summary';

export function expand(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in values)) throw new Error(`no value for the expression \${{ ${expr} }}`);
    return values[expr];
  });
}

const docker = (args: readonly string[], timeoutMs = 60_000) =>
  spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });

export class ContainerJob {
  private readonly name = `poolcheck-workflow-${process.pid}-${Date.now()}`;
  private readonly path = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  readonly outcomes: StepOutcome[] = [];

  constructor(
    private readonly job: Job,
    private readonly host: JobHost,
  ) {}

  start(): void {
    // The workspace's folders as a runner makes them: others (the postgres user) may pass through.
    chmodSync(this.host.workspace, 0o755);
    // setup-node's stand-in copies the host's node and npm from these.
    const npm = spawnSync('npm', ['root', '--global'], { encoding: 'utf8' }).stdout.trim();
    const started = docker([
      'run',
      '--detach',
      '--network',
      'host',
      '--name',
      this.name,
      '--label',
      'io.poolcheck.test=workflow',
      '--volume',
      `${this.host.workspace}:${WORKSPACE}`,
      '--volume',
      `${process.execPath}:/__host/node:ro`,
      '--volume',
      `${path.join(npm, 'npm')}:/__host/npm:ro`,
      ...(this.host.dockerArgs ?? []),
      this.job.container,
      'sleep',
      'infinity',
    ]);
    if (started.status !== 0) throw new Error(`docker run ${this.job.container} failed: ${started.stderr}`);
    this.exec('mkdir -p /__w/_temp && : > /__w/_temp/step_summary', '/');
  }

  stop(): void {
    docker(['rm', '--force', this.name]);
  }

  /** The job's steps in order; after a failed step only `if: always()` steps run, as on GitHub. */
  runSteps(timeoutMs: number): void {
    let failed = false;
    for (const [i, step] of this.job.steps.entries()) {
      if (failed && step.if !== 'always()') continue;
      const title = step.name ? expand(step.name, this.host.expressions) : (step.run?.split('\n')[0] ?? step.uses ?? `step ${i + 1}`);
      const outcome = step.run !== undefined ? this.runStep(step, timeoutMs) : this.standIn(step);
      this.outcomes.push({ step: title, ...outcome });
      if (outcome.status !== 0) failed = true;
    }
  }

  /** The step summary the job's steps appended to. */
  summary(): string {
    return this.exec(`cat ${SUMMARY}`, '/').output;
  }

  /** A command in the job's container after its steps (a check of the test's own). */
  exec(script: string, cwd: string, timeoutMs = 60_000): { status: number; output: string } {
    const env = { GITHUB_WORKSPACE: WORKSPACE, GITHUB_STEP_SUMMARY: SUMMARY, GITHUB_ACTIONS: 'true', CI: 'true', PATH: this.path.join(':') };
    const r = docker(
      [
        'exec',
        '--workdir',
        cwd,
        ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
        this.name,
        'bash',
        '--noprofile',
        '--norc',
        '-eo',
        'pipefail',
        '-c',
        script,
      ],
      timeoutMs,
    );
    return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}${r.error ? `\n${r.error.message}` : ''}` };
  }

  private runStep(step: WorkflowStep, timeoutMs: number): { status: number; output: string } {
    const cwd = step['working-directory'] ? path.posix.join(WORKSPACE, expand(step['working-directory'], this.host.expressions)) : WORKSPACE;
    return this.exec(expand(step.run!, this.host.expressions), cwd, timeoutMs);
  }

  private standIn(step: WorkflowStep): { status: number; output: string } {
    const action = step.uses?.split('@')[0];
    const w = step.with ?? {};
    const hostPath = (rel: string) => path.join(this.host.workspace, expand(rel, this.host.expressions));
    switch (action) {
      case 'actions/checkout': {
        this.host.checkout(hostPath(String(w.path ?? '.')), step);
        return { status: 0, output: 'checked out' };
      }
      case 'actions/setup-node': {
        // Node 20 as setup-node would put it on PATH: the host's own node and npm, mounted read-only.
        const made = this.exec(
          [
            `mkdir -p ${TOOL}/bin ${TOOL}/lib/node_modules`,
            `cp /__host/node ${TOOL}/bin/node`,
            `cp -r /__host/npm ${TOOL}/lib/node_modules/npm`,
            `ln -sf ../lib/node_modules/npm/bin/npm-cli.js ${TOOL}/bin/npm`,
            `ln -sf ../lib/node_modules/npm/bin/npx-cli.js ${TOOL}/bin/npx`,
          ].join(' && '),
          '/',
        );
        this.path.unshift(`${TOOL}/bin`);
        return made;
      }
      case 'actions/download-artifact': {
        const from = this.host.artifact(String(w.name));
        const into = hostPath(String(w.path ?? '.'));
        mkdirSync(into, { recursive: true });
        // An artifact's files lose their mode bits: a binary arrives not executable.
        if (existsSync(from) && !from.endsWith('/')) copyFileSync(from, path.join(into, path.basename(from)));
        else cpSync(from, into, { recursive: true });
        chmodSync(into, 0o755);
        return { status: 0, output: `artifact ${String(w.name)} in ${String(w.path)}` };
      }
      case 'actions/upload-artifact': {
        const what = hostPath(String(w.path));
        return existsSync(what) ? { status: 0, output: `would upload ${what}` } : { status: 1, output: `upload-artifact: ${what} does not exist` };
      }
      default:
        return { status: 1, output: `no stand-in for ${step.uses}: the test cannot run this step` };
    }
  }
}
