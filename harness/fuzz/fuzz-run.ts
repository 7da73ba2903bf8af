// `poolcheck fuzz`: random programs (generator.ts) run on PostgreSQL and on each target until the
// time is up. PostgreSQL runs a program twice: once recording its answers, which become the
// program's expectations (program-scenario.ts), and once checked against them, so a program
// whose answers are not PostgreSQL's every time is dropped, never reported. Each target then
// runs it as the runner runs any scenario; a divergence is named by its signature
// (signature.ts), counted as documented where the target's profile documents it, and the first
// of each signature (new) or documented class is shrunk (shrink.ts) to a case file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Divergence } from '../kernel/divergence.ts';
import { errorText } from '../kernel/errors.ts';
import type { KnownIssue } from '../poolers/known-issue.ts';
import type { ProfileEntry } from '../poolers/profile.ts';
import { createJudge, type Judge } from '../report/judge.ts';
import { caseYaml } from '../repro/case-yaml.ts';
import { beginRun } from '../run/begin-run.ts';
import type { StepResult } from '../scenario/expectations.ts';
import type { Scenario, ScenarioSpec } from '../scenario/model.ts';
import type { ScenarioRun } from '../scenario/result.ts';
import { loadCatalog } from '../scenario/catalog.ts';
import { runScenario } from '../scenario/runner.ts';
import { checkScenario } from '../scenario/validate.ts';
import { runStopped, stopAll } from '../targets/processes.ts';
import type { StartedTarget } from '../targets/started-target.ts';
import { planFuzz, type FuzzOptions, type FuzzPlan } from './fuzz-plan.ts';
import { FUZZ_CATEGORY, generateProgram } from './generator.ts';
import { withAnswers, withoutAnswers } from './program-scenario.ts';
import { shrink } from './shrink.ts';
import { documentingEntry, signatureOf, signatureText } from './signature.ts';

/** A divergence class met: a new signature, or a documented profile entry, with its minimal case. */
export interface FoundClass {
  readonly target: string;
  readonly signature: string;
  /** The profile entry's reason, for a documented class. */
  readonly reason?: string;
  count: number;
  /** The case file, relative to the out folder. */
  case?: string;
  /** Steps of the minimal case. */
  steps?: number;
}

export interface FuzzSummary {
  readonly seed: string;
  readonly seconds: number;
  readonly targets: readonly string[];
  readonly driver: string;
  programs: number;
  /** Programs whose answers on PostgreSQL differed between two runs (or that could not run there). */
  dropped: number;
  /** Program runs on a target that ended in error or skip (neither pass nor divergence). */
  undecided: number;
  readonly signatures: FoundClass[];
  readonly documented: FoundClass[];
  interrupted?: string;
}

export interface FuzzUi {
  note(line: string): void;
  progress(s: FuzzSummary, elapsedMs: number, final?: boolean): void;
}

/** One compared target: the started servers. */
interface Compared {
  readonly started: StartedTarget;
}

/** What running a program on PostgreSQL and on one target gave. */
type Evaluated =
  | { readonly kind: 'dropped'; readonly why: string }
  | { readonly kind: 'answered'; readonly answered: ScenarioSpec; readonly runs: ReadonlyMap<string, ScenarioRun> };

const ORIGIN = { shipped: false, folder: '' };

function load(spec: ScenarioSpec): Scenario {
  const checked = checkScenario(spec, spec.id, ORIGIN);
  if (!checked.ok)
    throw new Error(`generated program ${spec.id} does not load: ${checked.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
  return checked.scenario;
}

const documenting = (judge: Judge, d: Divergence, program: ScenarioSpec, c: Compared, driver: string): ProfileEntry | undefined =>
  documentingEntry(d, program.steps, (scenario, alike) => judge.documenting(scenario, c.started, driver, alike));

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** The servers a fuzz run compares, once started. */
interface Started {
  readonly direct: StartedTarget;
  readonly compared: readonly Compared[];
}

/** One fuzz run: its plan, what it found so far, and the deadline. */
class Fuzzer {
  readonly summary: FuzzSummary;
  /** The time runs from when the servers are up. */
  started = Date.now();
  deadline = Infinity;
  private seq = 0;

  constructor(
    private readonly plan: FuzzPlan,
    private readonly ui: FuzzUi,
    private readonly servers: Started,
    private readonly judge: Judge,
  ) {
    this.summary = {
      seed: plan.seed,
      seconds: plan.seconds,
      targets: servers.compared.map((c) => c.started.spec.id),
      driver: plan.driver.id,
      programs: 0,
      dropped: 0,
      undecided: 0,
      signatures: [],
      documented: [],
    };
  }

  timeUp(): boolean {
    return Date.now() >= this.deadline || runStopped.aborted;
  }

  writeSummary(): void {
    writeFileSync(path.join(this.plan.out, 'fuzz.json'), `${JSON.stringify(this.summary, null, 2)}\n`);
  }

  progress(final?: boolean): void {
    this.ui.progress(this.summary, Date.now() - this.started, final);
  }

  private async runOn(t: StartedTarget, s: Scenario, record?: (i: number, r: StepResult) => void, compared = false): Promise<ScenarioRun> {
    const failed = t.failure();
    if (failed) throw new Error(failed);
    // PostgreSQL against itself (A/A): the compared runs take a lane of their own beside the baseline's.
    const lane = t.lanes[t === this.servers.direct && compared ? 1 : 0];
    await lane.quiesce();
    return runScenario(s, {
      target: t,
      lane,
      driver: this.plan.driver,
      namePrefix: `pc${this.plan.runId}_${++this.seq}`,
      stepTimeoutMs: this.plan.stepTimeoutMs,
      record,
    });
  }

  /**
   * PostgreSQL's answers, then each target's run held to them, beside a second run on
   * PostgreSQL that must give the same answers (`recheck`; a shrink's candidates leave it to
   * the last, which is confirmed before it is written).
   */
  async evaluate(program: ScenarioSpec, only?: Compared, recheck = true): Promise<Evaluated> {
    const answers = new Map<number, StepResult>();
    const recorded = await this.runOn(this.servers.direct, load(program), (i, r) => answers.set(i, r));
    if (recorded.outcome !== 'pass') return { kind: 'dropped', why: `PostgreSQL: ${recorded.outcome} ${recorded.message ?? ''}` };
    const answered = withAnswers(program, answers);
    const scenario = load(answered);
    const runs = new Map<string, ScenarioRun>();
    const [again] = await Promise.all([
      recheck ? this.runOn(this.servers.direct, scenario) : undefined,
      ...(only ? [only] : this.servers.compared).map(async (c) => {
        runs.set(c.started.spec.id, await this.runOn(c.started, scenario, undefined, true));
      }),
    ]);
    if (again && again.outcome !== 'pass') return { kind: 'dropped', why: `nondeterministic on PostgreSQL: ${again.message ?? again.outcome}` };
    return { kind: 'answered', answered, runs };
  }

  /** The class a divergence belongs to on a target, and the key it is counted under. */
  classify(d: Divergence, program: ScenarioSpec, c: Compared): { signature: string; entry?: ProfileEntry; key: string } {
    const signature = signatureText(signatureOf(d, program.steps));
    const entry = documenting(this.judge, d, program, c, this.plan.driver.id);
    return { signature, entry, key: entry ? `${c.started.spec.id}\n${entry.reason}` : `${c.started.spec.id}\n${signature}` };
  }

  /** One program: generated, run everywhere, each divergence counted (and the first of its class kept). */
  async program(index: number): Promise<void> {
    const { capabilities } = this.plan.driver;
    const program = generateProgram(this.plan.seed, index, {
      namedPrepare: capabilities.has('namedPrepare'),
      protocol: capabilities.has('protocol'),
    });
    let e: Evaluated;
    try {
      e = await this.evaluate(program);
    } catch (err) {
      if (runStopped.aborted) return;
      const dead = this.servers.compared.map((c) => c.started.failure()).find(Boolean) ?? this.servers.direct.failure();
      if (dead) throw new Error(dead);
      this.ui.note(`program ${index}: ${errorText(err)}`);
      this.summary.dropped++;
      return;
    }
    if (runStopped.aborted) return;
    this.summary.programs++;
    if (e.kind === 'dropped') {
      this.summary.dropped++;
      return;
    }
    for (const c of this.servers.compared) {
      const run = e.runs.get(c.started.spec.id)!;
      if (run.outcome === 'pass') continue;
      if (run.outcome !== 'diverge' || !run.divergence) {
        this.summary.undecided++;
        continue;
      }
      const { signature, entry, key } = this.classify(run.divergence, e.answered, c);
      const list = entry ? this.summary.documented : this.summary.signatures;
      let found = list.find((f) => `${f.target}\n${f.reason ?? f.signature}` === key);
      if (found) {
        found.count++;
        continue;
      }
      found = { target: c.started.spec.id, signature, ...(entry ? { reason: entry.reason } : {}), count: 1 };
      list.push(found);
      this.progress();
      await this.keep(found, e.answered, run.divergence, c, { key, entry }, list.length);
    }
  }

  /** Cuts the program down while it diverges in the same class, and writes the case. */
  private async keep(
    found: FoundClass,
    program: ScenarioSpec,
    d: Divergence,
    c: Compared,
    { key, entry }: { key: string; entry?: ProfileEntry },
    n: number,
  ): Promise<void> {
    const check = async (candidate: ScenarioSpec) => {
      const e = await this.evaluate(candidate, c, false).catch(() => undefined);
      const run = e?.kind === 'answered' ? e.runs.get(c.started.spec.id) : undefined;
      if (!run || run.outcome !== 'diverge' || !run.divergence) return undefined;
      return this.classify(run.divergence, candidate, c).key === key ? { step: run.divergence.step } : undefined;
    };
    // A shrink under way at the deadline gets up to a quarter of the run's time more.
    const small = await shrink(withoutAnswers(program), check, {
      divergedAt: d.step,
      stop: () => runStopped.aborted || Date.now() >= this.deadline + this.plan.seconds * 250,
    });
    const final = await this.evaluate(small, c).catch(() => undefined);
    const run = final?.kind === 'answered' ? final.runs.get(c.started.spec.id) : undefined;
    const confirmed = final?.kind === 'answered' && run?.outcome === 'diverge';
    // The case is PostgreSQL's answers to the smallest program: the program itself where a last run did not confirm it.
    const answered = confirmed ? final.answered : program;
    const name = `${found.reason ? 'documented' : 'new'}-${slug(c.started.spec.id)}-${n}-${slug(found.signature)}`;
    const spec = caseSpec(answered, name, found, c, entry);
    const file = path.join('cases', `${name}.yaml`);
    const { plan } = this;
    const header = [
      `poolcheck fuzz, seed ${JSON.stringify(plan.seed)}, driver ${plan.driver.id}: ${answered.steps.length} step(s) cut from ${program.id} (${program.steps.length} step(s))`,
      `target ${c.started.spec.id}${c.started.poolerVersion ? ` (${c.started.spec.pooler} ${c.started.poolerVersion})` : ''}, PostgreSQL ${c.started.postgresVersion.split(' ')[0]}`,
      `divergence ${found.signature}${confirmed && run.message ? `: ${run.message}` : ''}`,
      `replay: poolcheck run --targets direct,${c.started.spec.id} --drivers ${plan.driver.id} --cases ${path.join(plan.out, 'cases')} --scenarios ${spec.id}`,
    ];
    writeFileSync(path.join(plan.out, file), caseYaml(spec, header));
    found.case = file;
    found.steps = answered.steps.length;
    this.ui.note(
      `${found.reason ? 'documented' : 'NEW'} ${c.started.spec.id} ${found.signature}: ${file} (${answered.steps.length} steps${confirmed ? '' : ', not confirmed by a last run'})`,
    );
    this.writeSummary();
  }
}

/**
 * The case file's scenario: PostgreSQL's answers as expectations and, for a documented class,
 * the profile entry as the case's known issue, so `run --cases` judges it documented too.
 */
function caseSpec(answered: ScenarioSpec, name: string, found: FoundClass, c: Compared, entry: ProfileEntry | undefined): ScenarioSpec {
  const { pooler, mode } = c.started.spec;
  const known: KnownIssue[] | undefined =
    entry && pooler
      ? [
          {
            pooler,
            ...(mode ? { modes: [mode] } : {}),
            reason: entry.reason,
            link: entry.link,
            ...(entry.versions ? { versions: entry.versions } : {}),
            ...(entry.settings ? { settings: entry.settings } : {}),
            ...(entry.divergence ? { divergence: entry.divergence } : {}),
            ...(entry.source ? { source: entry.source } : {}),
          },
        ]
      : undefined;
  return {
    ...answered,
    id: `${FUZZ_CATEGORY}/fuzz-${name}`,
    why: found.reason
      ? `${c.started.spec.id} diverges as documented (${found.signature}): ${found.reason}`
      : `${c.started.spec.id} diverges from PostgreSQL (${found.signature}), which no profile entry documents`,
    ...(known ? { known } : {}),
  };
}

/**
 * One fuzz run from its options (planned as fuzz-plan.ts plans it). `uiFor` is called once the
 * plan holds, before anything starts.
 */
export async function executeFuzz(options: FuzzOptions, uiFor: (plan: FuzzPlan) => FuzzUi): Promise<{ summary: FuzzSummary; exitCode: number }> {
  const plan = planFuzz(options);
  const ui = uiFor(plan);
  const { chosen } = plan;
  // Judged as a run judges: the profiles with the catalogue's known issues, and its scenarios' traits.
  const judge = createJudge(plan.profiles, (await loadCatalog()).scenarios);
  let fuzzer: Fuzzer | undefined;
  // Ctrl-C keeps what was found: the cases are written as they are found, fuzz.json here.
  const unhook = beginRun(
    plan.runId,
    (line) => ui.note(line),
    (signal) => {
      if (!fuzzer) return;
      fuzzer.summary.interrupted = signal;
      fuzzer.writeSummary();
      fuzzer.progress(true);
    },
  );
  const running: StartedTarget[] = [];
  try {
    mkdirSync(path.join(plan.out, 'cases'), { recursive: true });
    const t0 = Date.now();
    for (const note of await chosen.prepare()) ui.note(note);
    // Every start settles before a failure is thrown, so a target still starting is stopped too.
    const starts = await Promise.allSettled(
      chosen.targets.map(async (t) => {
        const st = await chosen.provider.start(t);
        running.push(st);
        return st;
      }),
    );
    const failed = starts.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [direct, ...others] = starts.map((r) => (r as PromiseFulfilledResult<StartedTarget>).value);
    await plan.driver.warmUp?.();
    for (const t of running)
      ui.note(
        `started ${t.spec.id} (PostgreSQL ${t.postgresVersion.split(' ')[0]}${t.poolerVersion ? `, ${t.spec.pooler} ${t.poolerVersion}` : ''})`,
      );
    ui.note(`servers up in ${((Date.now() - t0) / 1000).toFixed(1)} s; fuzzing for ${plan.seconds} s`);
    const compared = (others.length ? others : [direct]).map((t) => ({ started: t }));
    const f = new Fuzzer(plan, ui, { direct, compared }, judge);
    fuzzer = f;
    f.deadline = f.started + plan.seconds * 1000;
    for (let index = 0; !f.timeUp(); index++) {
      await f.program(index);
      f.progress();
    }
    if (runStopped.aborted) f.summary.interrupted = String(runStopped.reason);
    f.writeSummary();
    f.progress(true);
    return { summary: f.summary, exitCode: f.summary.signatures.length ? 1 : 0 };
  } finally {
    unhook();
    await Promise.allSettled(running.map((t) => t.stop()));
    await stopAll();
  }
}
