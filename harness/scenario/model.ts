// A scenario is plain data (no closures), so a YAML case file written from a bug report loads
// into the same model as a TypeScript suite file. Shape, in the spirit of PostgreSQL's
// isolation tester specs: named sessions, ordered steps, expectations.
//
// Templates inside SQL, params and expectations:
//   {{name}}   an object name unique to this run of the scenario (a table, sequence, channel)
//   {{$v}}     a value saved by an earlier step (`save: 'v'`); in an expected cell write '$v'
//   {{repeat:x:N}}  the text x repeated N times (a message larger than 16 MB without a 16 MB file)
import type { Capability } from '../drivers/session.ts';
import type { KnownIssue } from '../poolers/known-issue.ts';
import type { PoolKind } from '../poolers/pooler-adapter.ts';
import type { Bytes } from '../wire/bytes.ts';
import type { FrontendMessage, MessageName, TransactionStatus } from '../wire/messages.ts';

export const CATEGORIES = [
  'session-state',
  'parameter-status',
  'transactions',
  'prepared-statements',
  'protocol-framing',
  'session-objects',
  'sequences',
  'cancel',
  'backend-pid',
  'abnormal-exits',
  'auth-transport',
  'drivers',
  'stress',
  'postgres-bugs',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * An expected cell: a literal, '$name' for a saved value, '*' for anything, null, or bytes
 * (`{ hex: '0000000000000005' }`: a value the server sent in binary format).
 */
export type Cell = string | null | Bytes;

/**
 * An expected reply message: its name, or with a detail: ErrorResponse with a SQLSTATE,
 * ReadyForQuery with its status, BackendKeyData with its key's length in bytes (4 in protocol
 * 3.0), NegotiateProtocolVersion with the version the server offers ('3.0'), and after it, where
 * they matter, the protocol options it did not recognise, exactly ('3.2:_pq_.a,_pq_.b'; '3.2:'
 * for none).
 */
export type MessageLabel =
  | MessageName
  | `ErrorResponse:${string}`
  | `ReadyForQuery:${TransactionStatus}`
  | `BackendKeyData:${number}`
  | `NegotiateProtocolVersion:${number}.${number}`
  | `NegotiateProtocolVersion:${number}.${number}:${string}`;

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
  /**
   * Raw protocol: the reply message types, in order (ErrorResponse may be 'ErrorResponse:42P05').
   * On a `connect: true` step, the login's: from the first answer to the StartupMessage
   * (NegotiateProtocolVersion, Authentication...) to ReadyForQuery.
   */
  readonly messages?: readonly MessageLabel[];
  /** SQLSTATEs of the NoticeResponses the session received during the step, in order. */
  readonly notices?: readonly string[];
  /** The CommandComplete tags of the step's reply, in order ('INSERT 0 1', 'SELECT 1'). */
  readonly commandTags?: readonly string[];
  /**
   * The ParameterStatus messages the session received during the step, in order and count, as
   * [name, value] ('*': any value); a step that logs the session in also gets the login's.
   */
  readonly parameterStatusMessages?: readonly (readonly [string, string])[];
  /** waitNotification: the payload received; null means none may arrive before the deadline. */
  readonly notification?: { readonly payload?: string; readonly pidEquals?: string } | null;
  /**
   * parameterStatusMessages and notices are compared as collections, not in order: where the
   * order is not part of the behaviour (PostgreSQL 15 reports the settings a step changes in
   * another order than 17 and 18).
   */
  readonly anyOrder?: true;
  /**
   * Where PostgreSQL's behaviour depends on its release: for a release in a range (as in
   * profiles: '>=17', '<18', '15 - 16'), these fields take the place of the step's own.
   */
  readonly postgres?: Readonly<Record<string, Omit<Expect, 'postgres'>>>;
}

/** What every step has, whatever it does. */
export interface StepBase {
  readonly session: string;
  /** Start the step and go on; a later `await` step collects it. */
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

/**
 * What each kind of step does, by the kind's name, which is also the key that says so in a
 * step's data (`{ session: 'a', sql: 'SELECT 1' }` is an sql step). A new kind is one member
 * here and its entry in step-kinds.ts.
 */
export interface StepKinds {
  /** One statement through the driver; with params, the extended protocol's unnamed statement. */
  readonly sql: { readonly sql: string; readonly params?: readonly string[] };
  /** A protocol-level named statement, prepared on first use. */
  readonly named: { readonly named: { readonly name: string; readonly sql: string; readonly params?: readonly string[] } };
  /**
   * Raw protocol messages in one write. Without Sync, `until` names the reply to read up to, or
   * 'close': everything until the server closes the connection (after a malformed message);
   * `splitWrites` cuts the encoded bytes into separate TCP writes at these offsets.
   */
  readonly messages: {
    readonly messages: readonly FrontendMessage[];
    readonly until?: MessageName | 'close';
    readonly splitWrites?: readonly number[];
  };
  /**
   * Raw protocol: read what the server still owes without sending anything, from what arrived
   * since the last step on: up to a message type, until the server closes the connection, or
   * whatever arrives within `forMs` (then nothing arriving is no failure).
   */
  readonly read: { readonly read: MessageName | 'close' | { readonly forMs: number } };
  /**
   * Cancel the session's query in flight through its driver; or send a crafted CancelRequest,
   * whose connection `hangUp` closes as soon as the request is written (a client that does not
   * wait for the server to close it), rather than leaving the server to close it.
   */
  readonly cancel: { readonly cancel: true | { readonly pid: string; readonly secret: 'own' | 'wrong'; readonly hangUp?: true } };
  readonly connect: { readonly connect: true };
  /** Close the session: 'terminate' sends Terminate, 'abrupt' drops the socket. */
  readonly disconnect: { readonly disconnect: 'terminate' | 'abrupt' };
  /**
   * The session's first and only step: its StartupMessage, then a dropped socket when the server
   * asks for its password or SASL exchange, as a client that gives up mid-login. Raw only.
   */
  readonly abandonLogin: { readonly abandonLogin: true };
  /** Wait (up to the step's deadline) for a notification on this channel template ('ch' = {{ch}}). */
  readonly waitNotification: { readonly waitNotification: string };
  /** Wait for a background step of the same session to finish; its result meets `expect`. */
  readonly await: { readonly await: string };
  /**
   * Many clients at once through the session's pool, each holding session state of its own and
   * checking it round after round (stress.ts); its rows say what leaked and what was lost.
   * `clients` yields to the run's --stress-clients; `sequence` is a template the setup creates.
   */
  readonly stress: { readonly stress: { readonly clients: number; readonly rounds: number; readonly sequence: string } };
  /**
   * Many pools (many-roles.ts): `roles` roles, created on the observer as `{{prefix}}_N`, each log
   * in through the session's pool; then `drop` of them are dropped, and new logins as the others
   * must work while a dropped one is refused. `roles` yields to the run's --stress-roles (`drop`
   * keeps its share). Its rows count what failed.
   */
  readonly manyRoles: { readonly manyRoles: { readonly roles: number; readonly drop: number; readonly prefix: string } };
  /**
   * Observer only: a command on the pooler's admin console (SHOW POOLS, SHOW SERVERS...), a
   * source of facts beside the database's own. It runs where the target is `pooler` and poolcheck
   * reaches its console; its rows then meet `expect`. Elsewhere (direct, another pooler, an
   * external target without --external-admin) it checks nothing, and the transcript says so.
   */
  readonly admin: {
    readonly admin: {
      readonly pooler: string;
      readonly command: string;
      /**
       * Only the rows of this lane pool: its database (the `database` column, as pgbouncer shows
       * it; Odyssey's names the storage database, which both lane pools share) and, where rows
       * name one (`user`), the pool's own role.
       */
      readonly pool?: PoolKind;
      /** Only these columns, in this order (a release that adds columns does not break the case). */
      readonly columns?: readonly string[];
      /** Only on targets in these pooling modes (the pool's shape differs by mode); elsewhere it checks nothing. */
      readonly modes?: readonly string[];
      /**
       * Ask again until these are the rows (after `pool` and `columns`), up to the step's
       * deadline, as waitFor does on the database: a state of the pooler's queue (a client
       * waiting for the one server) that a scenario goes on from, and that direct never has.
       */
      readonly until?: readonly (readonly Cell[])[];
    };
  };
  /** Observer only: poll `sql` until its rows equal `rows`, or diverge at the deadline. */
  readonly waitFor: { readonly waitFor: { readonly sql: string; readonly rows: readonly (readonly Cell[])[] } };
}
export type StepKind = keyof StepKinds;

/** A step of kind K as written: the common fields, K's own, and no other kind's key. */
export type StepSpecOf<K extends StepKind> = StepBase & StepKinds[K] & { readonly [O in Exclude<StepKind, K>]?: never };
/** A step as written in a suite file or a case file. */
export type StepSpec = { [K in StepKind]: StepSpecOf<K> }[StepKind];
/** A loaded step of kind K: tagged with its kind. */
export type StepOf<K extends StepKind> = StepSpecOf<K> & { readonly kind: K };
/** A loaded step: a union discriminated by `kind`. */
export type Step = { [K in StepKind]: StepOf<K> }[StepKind];

export interface SessionSpec {
  /**
   * Which pool the session connects through (default: the scenario's). A session on one of the
   * scenario's `databases` connects through the wide pool's process: there is no single pool of
   * a database the pooler's config does not name.
   */
  readonly pool?: PoolKind;
  readonly applicationName?: string;
  /**
   * The role to log in as: 'app' (SCRAM, the default), 'md5' (a role whose password is
   * stored as md5), 'trust' (a role let in without a password), or 'empty': no user name at all
   * in the StartupMessage, which only a raw client sends (libpq and the others put the operating
   * system's user in its place), or 'cert': a role let in only over TLS with a client certificate
   * poolcheck's test CA signed for it (`hostssl ... cert`; the session then uses TLS).
   */
  readonly user?: 'app' | 'md5' | 'trust' | 'empty' | 'cert';
  /** One of the scenario's `roles` to log in as, with its password (instead of `user`). */
  readonly role?: string;
  /** One of the scenario's `databases` to log in to, instead of the lane's. */
  readonly database?: string;
  /**
   * 'wrong' logs in with a wrong password (the first step then expects the error); `{ text }`
   * with that one (a scenario role's new password after ALTER ROLE ... PASSWORD).
   */
  readonly password?: 'wrong' | { readonly text: string };
  /** Require TLS, as sslmode=require. */
  readonly tls?: boolean;
  /**
   * Log in over the IPv6 loopback (::1) instead of 127.0.0.1, on the same port: every target
   * poolcheck starts listens on both; one that cannot (an external target) makes the scenario
   * `skip`, saying why (poolers/scenario-reach.ts).
   */
  readonly ipv6?: true;
  /**
   * Further StartupMessage parameters (e.g. options: '-c search_path=x', extra_float_digits).
   * Names starting `_pq_.` are protocol options, which a server that does not know them lists
   * in NegotiateProtocolVersion: only the raw driver reads that (needs protocol).
   */
  readonly startupParams?: Readonly<Record<string, string>>;
  /**
   * The protocol version the StartupMessage asks for: '3.2', or the number (196610); default
   * 3.0. A server that speaks only an older minor version answers NegotiateProtocolVersion and
   * goes on in that one (PostgreSQL before 18 answers 3.2 with 3.0). Raw driver only (protocol).
   */
  readonly protocol?: string | number;
}

/**
 * A role the scenario creates on the observer before its setup and drops after its teardown
 * (scenario-objects.ts). Its name is {{key}} in the scenario's SQL, unique to the run; a session
 * logs in as it with `role: key`. The target's pooler learns it at login, as its adapter
 * configured it to (poolers/scenario-reach.ts).
 */
export interface RoleSpec {
  /**
   * Its password, stored as SCRAM-SHA-256 (PostgreSQL's default); templates expand
   * ({{repeat:x:N}}). Default: one made for the run.
   */
  readonly password?: string;
  /** LOGIN (the default) or NOLOGIN. */
  readonly login?: boolean;
  /** CONNECTION LIMIT: how many sessions the role may have at once. */
  readonly connectionLimit?: number;
  /** Not created: a name no role has, for a login as an unknown role. */
  readonly absent?: true;
}

/** A database the scenario creates (from template1, on the observer) and drops with FORCE afterwards; {{key}} is its name. */
export interface DatabaseSpec {
  /** Not created: a name no database has, for a login to an unknown database. */
  readonly absent?: true;
}

/** A scenario as written in a suite file or a case file. */
export interface ScenarioSpec {
  readonly id: string;
  readonly category: Category;
  /** The user-visible consequence, in one line. */
  readonly why: string;
  readonly docs?: string;
  readonly pool: PoolKind;
  /** Capabilities needed beyond those the steps imply. */
  readonly needs?: readonly Capability[];
  /**
   * What a client of the single pool does when it starts while another client holds the pool's
   * one server connection for its session (session pooling, pgpool-II): by default it gets a
   * server of its own through the wide pool, as session pooling gives it; 'wait' keeps it on the
   * single pool, waiting for that server (a case about the queue). premise.ts.
   */
  readonly singleHeld?: 'wait';
  /** Roles the scenario creates for itself, by template name ({{r}}). */
  readonly roles?: Readonly<Record<string, RoleSpec>>;
  /** Databases the scenario creates for itself, by template name ({{d}}). */
  readonly databases?: Readonly<Record<string, DatabaseSpec>>;
  /** Run on the observer (straight to the database) before and after, always. */
  readonly setup?: readonly string[];
  readonly teardown?: readonly string[];
  readonly sessions: Readonly<Record<string, SessionSpec>>;
  readonly steps: readonly StepSpec[];
  /**
   * Where the bug this case reproduces is known to show (pooler, modes, releases...), with the
   * reason and the issue's link: there a divergence is `documented` (poolers/known-issue.ts).
   */
  readonly known?: readonly KnownIssue[];
  /**
   * Pooler settings the scenario needs, by pooler id (`{ pgbouncer: { max_prepared_statements:
   * '0' } }`). One pooler process serves a whole lane, so a setting belongs to a target: on a
   * target of that pooler running other values the scenario is `skip`, naming the target to run.
   */
  readonly poolerSettings?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Where a scenario was loaded from: poolcheck's own catalogue (suites/), or a folder given with --cases. */
export interface Origin {
  readonly shipped: boolean;
  /** The folder, absolute: suites/<category>, suites/cases, or the --cases folder itself. */
  readonly folder: string;
}

/** A scenario the catalogue loaded and validated: each step tagged with its kind. */
export interface Scenario extends Omit<ScenarioSpec, 'steps'> {
  readonly steps: readonly Step[];
  /** Where it was defined (file, or file:line for a case file), for messages. */
  readonly source: string;
  readonly origin: Origin;
}

/** A scenario that did not pass the load-time check: every run of it is an `error` saying why. */
export interface BrokenScenario {
  /** Its id, or, where none could be read, its file (then `anonymous`: no selector can leave it out). */
  readonly id: string;
  readonly category: string;
  readonly source: string;
  /** One line each, naming where: `file:line:col: message` for a case file, `file: step 3: message` for a module. */
  readonly problems: readonly string[];
  readonly origin: Origin;
  readonly anonymous?: true;
}

export { OBSERVER } from '../kernel/names.ts';
