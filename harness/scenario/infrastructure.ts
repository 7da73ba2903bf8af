// A divergence is a claim about the pooler only if the servers around it held still. A backend
// killed by someone, a PostgreSQL restart or a pooler that stopped serving make scenarios
// diverge that say nothing about the pooler; so before a diverging result is recorded, the
// lane asks:
//  - did PostgreSQL restart while the scenario ran? Its epoch (the postmaster's start time, and
//    the time its statistics were last reset, which crash recovery does) is read through the
//    observer before the first scenario and after every result that is not a pass;
//  - for a divergence of the kind a server that stopped serving causes (no answer, a closed
//    connection, an error of class 08, 53, 57 or 58), does a fresh client through the pooler
//    still get an answer? A login that got no answer at all is a stall even when it does.
// Either fault turns the result into `error` with its cause (`stall` for that login, else
// `infrastructure`: faultAround), and the lane waits until PostgreSQL and the pooler serve again
// before the next scenario; a lane that does not recover within the deadline ends its remaining
// results as `error` saying why.
//
// A restart PostgreSQL's log explains as a backend of this lane's database dying of a signal is
// no fault around the scenario: the scenario set it off, and the result is `crash`, with the
// log's lines. A crash of another lane's backend disturbed this one: the result is run again.
import { errorText } from '../kernel/errors.ts';
import { poll } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import type { Lane } from '../targets/started-target.ts';
import { loginFails } from '../targets/readiness.ts';
import { textOf } from '../wire/bytes.ts';
import { Transcript } from '../wire/transcript.ts';
import { crashesIn, type BackendCrash, type LogTail } from '../targets/server-log.ts';
import type { ErrorCause, ScenarioRun } from './result.ts';

/**
 * Changes when PostgreSQL restarts: pg_postmaster_start_time() on a full restart; crash
 * recovery (after a backend died abnormally) keeps it but resets the shared statistics.
 */
const EPOCH_SQL = "SELECT pg_postmaster_start_time()::text || ' / ' || coalesce((SELECT stats_reset FROM pg_stat_bgwriter)::text, '-')";

/** SQLSTATE classes of a server that went away or refused work: connection, resources, operator, system. */
const FAULT_CLASSES = new Set(['08', '53', '57', '58']);

/** A result as the infrastructure check left it. */
export interface Judged {
  readonly run: ScenarioRun;
  /** Another lane's crash disturbed it: it is run again. */
  readonly disturbed?: true;
  /**
   * It was made an `error` because a login got no answer while a fresh one did (a stall): the
   * result as it was, should a run again find that login unanswered once more (timing-rule.ts).
   */
  readonly unansweredLogin?: ScenarioRun;
}

export interface InfrastructureWatch {
  /** Reads PostgreSQL's epoch before the lane's first scenario. */
  start(): Promise<void>;
  /** A scenario is about to run: PostgreSQL's log from here on is its. */
  begin(): void;
  /** Waits until PostgreSQL and the pooler serve again (after a quiesce failed); false if they do not. */
  recover(): Promise<boolean>;
  /**
   * The result as it stands, as a `crash` the scenario set off, or as an `error` when the
   * infrastructure moved under it; `disturbed` when another lane's crash did, so a run again tells.
   */
  judge(r: ScenarioRun): Promise<Judged>;
  /** Set once the lane did not recover from a fault: why its remaining results are errors. */
  readonly broken: string | undefined;
}

/**
 * `failure` says why a server of the target has stopped for good: no use waiting for it then;
 * `log` is PostgreSQL's log, where poolcheck can read it.
 */
export function watchInfrastructure(
  lane: Pick<Lane, 'observer' | 'pools' | 'direct'>,
  failure: () => string | undefined,
  log?: LogTail,
  pooled = true,
): InfrastructureWatch {
  let epoch: string | undefined;
  let broken: string | undefined;
  let mark = 0;

  /** A crash the log tells of since the scenario began; the log may reach the file a moment after the restart (a container's is streamed). */
  const crashSinceMark = async (): Promise<BackendCrash | undefined> => {
    if (!log) return undefined;
    let found: BackendCrash | undefined;
    await poll({ what: "PostgreSQL's log to tell of the restart", timeoutMs: TIMEOUT_MS.crashLog, maxIntervalMs: 100 }, async () => {
      const crashes = crashesIn(log.since(mark));
      found = crashes.find((c) => c.database === lane.direct.database) ?? crashes[0];
      return found ? true : undefined;
    }).catch(() => undefined);
    return found;
  };

  const readEpoch = async (): Promise<string | undefined> => {
    try {
      const reply = await lane.observer.query(EPOCH_SQL, Transcript.none(), TIMEOUT_MS.control);
      const row = reply.find((m) => m.type === 'DataRow');
      // A server that answers but cannot tell (a PostgreSQL-compatible one without these
      // functions) has a constant epoch: restarts go unseen there, and nothing is made an error.
      return row?.type === 'DataRow' ? (textOf(row.values[0] ?? null) ?? '-') : 'unknown';
    } catch {
      return undefined;
    } finally {
      await lane.observer.release().catch(() => undefined);
    }
  };

  /** Waits for PostgreSQL, then the pooler, to serve again; sets `broken` if they do not. */
  const recover = async (): Promise<boolean> => {
    let last = 'no attempt yet';
    try {
      epoch = await poll(
        { what: 'PostgreSQL to answer the observer again', timeoutMs: TIMEOUT_MS.recovery, maxIntervalMs: 250, abort: failure },
        readEpoch,
      );
      for (const pool of new Set([lane.pools.wide, lane.pools.single])) {
        await poll(
          {
            what: `a fresh client of ${pool.host}:${pool.port}/${pool.database} to get an answer again`,
            timeoutMs: TIMEOUT_MS.recovery,
            maxIntervalMs: 250,
            seen: () => last,
            abort: failure,
          },
          async () => {
            last = (await loginFails(pool, TIMEOUT_MS.control)) ?? '';
            return last ? undefined : true;
          },
        );
      }
      return true;
    } catch (err) {
      broken = `the target did not recover from an earlier fault of the infrastructure: ${errorText(err)}`;
      return false;
    }
  };

  return {
    get broken() {
      return broken;
    },
    async start() {
      epoch = await readEpoch();
    },
    begin() {
      mark = log?.mark() ?? 0;
    },
    recover,
    async judge(r) {
      if (r.outcome === 'pass' || r.outcome === 'skip') return { run: r };
      const now = await readEpoch();
      const restarted = now === undefined || (epoch !== undefined && now !== epoch);
      // While crash recovery runs the epoch may still read the same, but no fresh client gets in.
      const refused = !restarted && pointsAtServers(r) ? await loginFails(lane.pools.wide, TIMEOUT_MS.control) : undefined;
      const crash = restarted || refused ? await crashSinceMark() : undefined;
      if (crash?.database === lane.direct.database) {
        await recover();
        return { run: crashed(r, crash) };
      }
      if (now !== undefined && epoch === undefined) epoch = now;
      const fault = faultAround(r, { unanswered: now === undefined, restarted, refused, crash }, pooled);
      if (!fault) return { run: r };
      const gone = failure();
      if (gone) return { run: { ...r, outcome: 'error', cause: 'infrastructure', divergence: undefined, message: gone } };
      await recover();
      return {
        run: {
          ...r,
          outcome: 'error',
          cause: fault.cause,
          divergence: undefined,
          message: `${fault.why}; the result says nothing about ${pooled ? 'the pooler' : 'the scenario'} (it saw: ${r.message ?? 'nothing'})`,
        },
        ...(crash ? { disturbed: true as const } : {}),
        ...(fault.cause === 'stall' ? { unansweredLogin: r } : {}),
      };
    },
  };
}

/** What the check right after a scenario saw of the servers around it. */
export interface Surroundings {
  /** PostgreSQL did not answer the observer: it was down or restarting. */
  readonly unanswered: boolean;
  readonly restarted: boolean;
  /** Why a fresh client through the pooler got no answer, where one did not. */
  readonly refused?: string;
  /** A backend of another lane that PostgreSQL's log says died of a signal. */
  readonly crash?: BackendCrash;
}

/** Why a result says nothing about the pooler: its cause, which the reports read, and in words. */
export interface Fault {
  readonly cause: Extract<ErrorCause, 'infrastructure' | 'stall'>;
  readonly why: string;
}

/** The fault around a result, if the servers moved under it; `pooled`: there is a pooler to blame (not direct). */
export function faultAround(r: ScenarioRun, seen: Surroundings, pooled: boolean): Fault | undefined {
  const server = pooled ? 'the pooler or PostgreSQL' : 'PostgreSQL';
  const infrastructure = (why: string): Fault => ({ cause: 'infrastructure', why });
  if (seen.crash)
    return infrastructure(
      `PostgreSQL restarted while the scenario ran: a backend of another lane (database ${seen.crash.database ?? 'unknown'}) was terminated by ${seen.crash.summary}`,
    );
  if (seen.unanswered) return infrastructure('PostgreSQL did not answer the observer right after the scenario (it was down or restarting)');
  if (seen.restarted)
    return infrastructure('PostgreSQL restarted while the scenario ran (a server process ended abnormally, or the server was restarted)');
  if (seen.refused)
    return infrastructure(`right after the scenario a fresh client got no answer either (${seen.refused}): ${server} stopped serving`);
  // No scenario asks a login to wait: one that got no answer at all met a pooler (or a machine)
  // that stalled, even if it serves again by now.
  if (pointsAtServers(r) && r.divergence?.kind === 'no-answer' && r.divergence.atLogin) {
    const stalled = pooled
      ? 'the pooler (or the machine) stalled: stopped, overloaded, or waiting for a server it could not get'
      : 'PostgreSQL (or the machine) stalled';
    return { cause: 'stall', why: `a login got no answer within the deadline, and a fresh one right after did: ${stalled}` };
  }
  return undefined;
}

/** The result of a scenario that set off a backend crash: the log's lines say what happened. */
function crashed(r: ScenarioRun, crash: BackendCrash): ScenarioRun {
  const step = r.divergence?.step ?? (r.failedStep !== undefined ? r.failedStep + 1 : 1);
  return {
    ...r,
    outcome: 'crash',
    cause: undefined,
    serverLog: crash.lines,
    divergence: {
      step,
      session: r.divergence?.session ?? r.steps[step - 1]?.session ?? '-',
      kind: 'crash',
      expected: 'PostgreSQL serves on',
      observed: `a backend terminated by ${crash.summary}`,
    },
    message: `PostgreSQL's backend serving the scenario was terminated by ${crash.summary} (the server log: serverLog)${r.message ? `; the scenario saw: ${r.message}` : ''}`,
  };
}

function pointsAtServers(r: ScenarioRun): boolean {
  if (r.outcome === 'error') return true;
  const d = r.divergence;
  if (!d) return false;
  return d.kind === 'no-answer' || d.kind === 'closed' || (d.sqlstate !== undefined && FAULT_CLASSES.has(d.sqlstate.slice(0, 2)));
}
