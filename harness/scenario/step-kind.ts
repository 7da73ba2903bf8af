// What a kind of step declares, once, in its entry in step-kinds.ts: its fields' schema, what
// it does and where it runs, what it needs of a driver, the saved values it reads, the rules a
// step of it keeps beyond its schema, what it costs, and whether repro.mjs replays it. Everything
// that reads steps asks the entry, so a new kind is its data type in model.ts (StepKinds) and its
// entry, which the compiler holds to that type.
import type { Capability, Driver, QueryResult, Session } from '../drivers/session.ts';
import type { ConnInfo } from '../kernel/conn-info.ts';
import type { FieldsOf, Problem } from '../kernel/schema.ts';
import type { Transcript } from '../wire/transcript.ts';
import type { StepResult } from './expectations.ts';
import type { StepKind, StepKinds, StepOf } from './model.ts';
import type { RunOverrides } from './run-overrides.ts';
import type { Templates } from './templates.ts';

/** What a step's action can reach while its scenario runs (runner.ts implements it). */
export interface StepRun {
  readonly driver: Driver;
  readonly templates: Templates;
  readonly saved: ReadonlyMap<string, string>;
  readonly transcript: Transcript;
  /** The step's deadline: its own timeoutMs, else the run's. */
  timeout(st: { readonly timeoutMs?: number }): number;
  /**
   * A simple Query on the observer (straight to the database); `quiet` leaves it out of the
   * transcript (a poll's attempts, whose number depends on timing).
   */
  observe(sql: string, quiet?: 'quiet'): Promise<QueryResult>;
  /** The session by name, if it is connected. */
  connected(name: string): Session | undefined;
  /** Forgets a session that is being closed: a later step on it is an invalid scenario. */
  forget(name: string): Session | undefined;
  /** Waits until the backend `pid` has exited, where that is observable (direct only). */
  backendGone(pid: number | undefined): Promise<void>;
  /** Collects a background step's result (it ran under its own name). */
  collect(name: string): Promise<StepResult>;
  /**
   * The rows of `command` on the admin console of a target that is `pooler`; undefined where
   * there is none to ask. `again`: a repeated ask of a poll, which the transcript does not repeat.
   */
  admin(spec: StepOf<'admin'>['admin'], again?: boolean): Promise<QueryResult | undefined>;
  /** Where the named session would connect: its pool of the lane. */
  poolOf(session: string): ConnInfo;
  /** Where and as whom the named session logs in: its pool, role, password and database. */
  loginOf(session: string): ConnInfo;
  /** What the run sets over the steps as written (--stress-clients, --stress-roles). */
  readonly overrides: RunOverrides | undefined;
}

/** A path into a step of kind K, from one of its kind's own fields: ['waitFor', 'sql']. */
export type KindField<K extends StepKind> = readonly [keyof StepKinds[K] & string, ...string[]];

/**
 * Where a kind's own fields may hold saved values, as its action reads them: `text` is expanded
 * as a template ({{$v}} anywhere inside, every string below the path), `whole` holds a saved value
 * as a whole string ('$v' in an expected cell), `name` names one ('$v' or 'v'). validate.ts checks
 * each reference against the values saved before the step. Declared beside the action that
 * expands them, and required, so a new kind cannot leave one of its fields unchecked.
 */
export interface SavedRefFields<K extends StepKind> {
  readonly text: readonly KindField<K>[];
  readonly whole?: readonly KindField<K>[];
  readonly name?: readonly KindField<K>[];
}

/** What the steps before a step have declared, as validate.ts collects it walking the scenario. */
export interface StepsBefore {
  readonly sessions: readonly string[];
  readonly saved: ReadonlySet<string>;
  /** Background steps by name: the session each runs on and its index. */
  readonly background: ReadonlyMap<string, { readonly session: string; readonly index: number }>;
  /** Sessions a step ended (endsSession). */
  readonly ended: ReadonlySet<string>;
  /** Sessions an earlier step ran on. */
  readonly stepped: ReadonlySet<string>;
}

/** run-cost.ts's figures a step's cost is reckoned in, in ms. */
export interface CostFigures {
  /** A login of the run's driver. */
  readonly loginMs: number;
  /** A login of poolcheck's own wire client, as a stress client or a manyRoles login makes. */
  readonly rawLoginMs: number;
}

interface Common<K extends StepKind> {
  /** The schema of its own fields, the one that names the kind among them (scenario-schema.ts adds the fields every step has). */
  readonly fields: FieldsOf<StepKinds[K]>;
  /** What the step does, in one line, for transcripts and messages (a step's label wins). */
  describe(st: StepOf<K>, t: Templates, run?: RunOverrides): string;
  /** Its fields that may refer to saved values (the common `expect` is validate.ts's). */
  readonly savedRefs: SavedRefFields<K>;
  /** Driver capabilities a client session needs to run it. */
  needs?(st: StepOf<K>): readonly Capability[];
  /** It can run in the background (`background: name`) and be awaited later. */
  readonly background?: true;
  /**
   * Why repro.mjs (repro/replay-script.mjs) does not replay it, where it does not: the script
   * says so and checks nothing of the step. Without it the script must run the kind (a unit test
   * holds the two together).
   */
  readonly notReplayed?: string;
  /**
   * What a step of this kind may not do beyond its fields' schema, given the steps before it
   * (validate.ts runs it on a step whose shape is sound); each problem's path is inside the step.
   */
  check?(st: StepOf<K>, before: StepsBefore): readonly Problem[];
  /** A step of it ends its session: a later step there is an invalid scenario, and a background step there is never answered. */
  readonly endsSession?: true;
  /** Its `check` says what it may do on a session already ended (validate.ts's rule that nothing runs there is not applied). */
  readonly checksEndedSession?: true;
  /** Wall time a step of it spends beyond a round trip, in ms, for balancing shards (run-cost.ts). */
  costMs?(st: StepOf<K>, figures: CostFigures): number;
}

/** How a kind runs: on a connected client session (and maybe the observer), on its name only, or on the observer only. */
export type StepKindDef<K extends StepKind> = Common<K> &
  (
    | {
        readonly on: 'session';
        run(st: StepOf<K>, r: StepRun, session: Session): Promise<StepResult>;
        observe?(st: StepOf<K>, r: StepRun): Promise<StepResult>;
      }
    | { readonly on: 'name'; run(st: StepOf<K>, r: StepRun): Promise<StepResult> }
    | { readonly on: 'observer'; observe(st: StepOf<K>, r: StepRun): Promise<StepResult> }
  );
