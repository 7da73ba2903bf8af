// A scenario is plain data (no closures), so a YAML case file written from a bug report loads
// into the same model as a TypeScript suite file. Shape, in the spirit of PostgreSQL's
// isolation tester specs: named sessions, ordered steps, expectations.
//
// Templates inside SQL, params and expectations:
//   {{name}}   an object name unique to this run of the scenario (a table, sequence, channel)
//   {{$v}}     a value saved by an earlier step (`save: 'v'`); in an expected cell write '$v'
//   {{repeat:x:N}}  the text x repeated N times (a message larger than 16 MB without a 16 MB file)
import type { Capability } from '../drivers/session.ts';
import type { PoolKind } from '../poolers/pooler-adapter.ts';
import type { FrontendMessage } from '../wire/messages.ts';

export const CATEGORIES = [
  'session-state', 'parameter-status', 'transactions', 'prepared-statements', 'protocol-framing', 'session-objects',
  'sequences', 'cancel', 'backend-pid', 'abnormal-exits', 'auth-transport', 'drivers',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** An expected cell: a literal, '$name' for a saved value, '*' for anything, or null. */
export type Cell = string | null;

export interface Expect {
  /** The step must fail with this SQLSTATE. Without it, any error fails the step. */
  readonly error?: string;
  /** Exact rows, as text. */
  readonly rows?: readonly (readonly Cell[])[];
  readonly rowCount?: number;
  /** The first value equals / differs from a saved value ('$v') or literal. */
  readonly equals?: string;
  readonly notEquals?: string;
  /** ParameterStatus values the driver holds after the step (null: never reported). */
  readonly parameterStatus?: Readonly<Record<string, string | null>>;
  /** Raw protocol: the reply message types, in order (ErrorResponse may be 'ErrorResponse:42P05'). */
  readonly messages?: readonly string[];
  /** SQLSTATEs of the NoticeResponses the session received during the step, in order. */
  readonly notices?: readonly string[];
  /** waitNotification: the payload received; null means none may arrive before the deadline. */
  readonly notification?: { readonly payload?: string; readonly pidEquals?: string } | null;
}

export interface Step {
  readonly session: string;
  // One action per step:
  readonly sql?: string;
  readonly params?: readonly string[];
  readonly named?: { readonly name: string; readonly sql: string; readonly params?: readonly string[] };
  readonly messages?: readonly FrontendMessage[];
  /** Raw protocol without Sync: the reply message type to read up to. */
  readonly until?: string;
  /** Raw protocol: cut the encoded bytes into separate TCP writes at these offsets. */
  readonly splitWrites?: readonly number[];
  /** Cancel the session's query in flight through its driver; or send a crafted CancelRequest. */
  readonly cancel?: true | { readonly pid: string; readonly secret: 'own' | 'wrong' };
  readonly connect?: true;
  /** Close the session: 'terminate' sends Terminate, 'abrupt' drops the socket. */
  readonly disconnect?: 'terminate' | 'abrupt';
  /** Wait (up to the step's deadline) for a notification on this channel template ('ch' = {{ch}}). */
  readonly waitNotification?: string;
  /** Wait for a background step of the same session to finish; its result meets `expect`. */
  readonly await?: string;
  /** Observer only: poll `sql` until its rows equal `rows`, or fail at the deadline. */
  readonly waitFor?: { readonly sql: string; readonly rows: readonly (readonly Cell[])[] };
  // Modifiers:
  /** Start the action and go on; a later `await` step collects it. */
  readonly background?: string;
  /** Save the first value of the result. */
  readonly save?: string;
  /** Save the backend pid the driver holds (from BackendKeyData). */
  readonly savePid?: string;
  readonly expect?: Expect;
  readonly timeoutMs?: number;
  /** Shown in messages and transcripts. */
  readonly label?: string;
}

export interface SessionSpec {
  /** Which pool the session connects through (default: the scenario's). */
  readonly pool?: PoolKind;
  readonly applicationName?: string;
  /**
   * The role to log in as: 'app' (SCRAM, the default), 'md5' (a role whose password is
   * stored as md5) or 'trust' (a role let in without a password).
   */
  readonly user?: 'app' | 'md5' | 'trust';
  /** 'wrong' logs in with a wrong password (the first step then expects the error). */
  readonly password?: 'wrong';
  /** Require TLS, as sslmode=require. */
  readonly tls?: boolean;
  /** Further StartupMessage parameters (e.g. options: '-c search_path=x', extra_float_digits). */
  readonly startupParams?: Readonly<Record<string, string>>;
}

export interface Scenario {
  readonly id: string;
  readonly category: Category;
  /** The user-visible consequence, in one line. */
  readonly why: string;
  readonly docs?: string;
  readonly pool: PoolKind;
  /** Capabilities needed beyond those the steps imply. */
  readonly needs?: readonly Capability[];
  /** Run on the observer (straight to the database) before and after, always. */
  readonly setup?: readonly string[];
  readonly teardown?: readonly string[];
  readonly sessions: Readonly<Record<string, SessionSpec>>;
  readonly steps: readonly Step[];
  /** Where it was defined, for error messages. */
  readonly source?: string;
}

export const OBSERVER = 'observer';

export const ACTIONS = ['sql', 'named', 'messages', 'cancel', 'connect', 'disconnect', 'waitNotification', 'await', 'waitFor'] as const;
export type ActionKind = (typeof ACTIONS)[number];

export function actionOf(step: Step): ActionKind {
  const present = ACTIONS.filter((a) => step[a] !== undefined);
  if (present.length !== 1) throw new Error(`a step needs exactly one action (${ACTIONS.join(', ')}); found ${present.length ? present.join(' and ') : 'none'}`);
  return present[0];
}
