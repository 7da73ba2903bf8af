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
// Either fault turns the result into `error` with its cause, and the lane waits until
// PostgreSQL and the pooler serve again before the next scenario; a lane that does not recover
// within the deadline ends its remaining results as `error` saying why.
import { errorText } from '../kernel/errors.ts';
import { poll } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import type { Lane } from '../targets/started-target.ts';
import { loginFails } from '../targets/readiness.ts';
import { textOf } from '../wire/bytes.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ScenarioRun } from './result.ts';

/**
 * Changes when PostgreSQL restarts: pg_postmaster_start_time() on a full restart; crash
 * recovery (after a backend died abnormally) keeps it but resets the shared statistics.
 */
const EPOCH_SQL = "SELECT pg_postmaster_start_time()::text || ' / ' || coalesce((SELECT stats_reset FROM pg_stat_bgwriter)::text, '-')";

/** SQLSTATE classes of a server that went away or refused work: connection, resources, operator, system. */
const FAULT_CLASSES = new Set(['08', '53', '57', '58']);

export interface InfrastructureWatch {
  /** Reads PostgreSQL's epoch before the lane's first scenario. */
  start(): Promise<void>;
  /** Waits until PostgreSQL and the pooler serve again (after a quiesce failed); false if they do not. */
  recover(): Promise<boolean>;
  /** The result as it stands, or as an `error` when the infrastructure moved under it. */
  judge(r: ScenarioRun): Promise<ScenarioRun>;
  /** Set once the lane did not recover from a fault: why its remaining results are errors. */
  readonly broken: string | undefined;
}

/** `failure` says why a server of the target has stopped for good: no use waiting for it then. */
export function watchInfrastructure(lane: Pick<Lane, 'observer' | 'pools'>, failure: () => string | undefined): InfrastructureWatch {
  let epoch: string | undefined;
  let broken: string | undefined;

  const readEpoch = async (): Promise<string | undefined> => {
    try {
      const reply = await lane.observer.query(EPOCH_SQL, Transcript.none(), TIMEOUT_MS.control);
      const row = reply.find((m) => m.type === 'DataRow');
      // A server that answers but cannot tell (a PostgreSQL-compatible one without these
      // functions) has a constant epoch: restarts go unseen there, and nothing is made an error.
      return row?.type === 'DataRow' ? textOf(row.values[0] ?? null) ?? '-' : 'unknown';
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
      epoch = await poll({ what: 'PostgreSQL to answer the observer again', timeoutMs: TIMEOUT_MS.recovery, maxIntervalMs: 250, abort: failure }, readEpoch);
      for (const pool of new Set([lane.pools.wide, lane.pools.single])) {
        await poll({ what: `a fresh client of ${pool.host}:${pool.port}/${pool.database} to get an answer again`, timeoutMs: TIMEOUT_MS.recovery, maxIntervalMs: 250, seen: () => last, abort: failure },
          async () => { last = (await loginFails(pool, TIMEOUT_MS.control)) ?? ''; return last ? undefined : true; });
      }
      return true;
    } catch (err) {
      broken = `the target did not recover from an earlier fault of the infrastructure: ${errorText(err)}`;
      return false;
    }
  };

  return {
    get broken() { return broken; },
    async start() { epoch = await readEpoch(); },
    recover,
    async judge(r) {
      if (r.outcome === 'pass' || r.outcome === 'skip') return r;
      const now = await readEpoch();
      let cause: string | undefined;
      if (now === undefined) cause = 'PostgreSQL did not answer the observer right after the scenario (it was down or restarting)';
      else if (epoch !== undefined && now !== epoch) cause = 'PostgreSQL restarted while the scenario ran (a server process ended abnormally, or the server was restarted)';
      else if (pointsAtServers(r)) {
        const refused = await loginFails(lane.pools.wide, TIMEOUT_MS.control);
        if (refused) cause = `right after the scenario a fresh client got no answer either (${refused}): the pooler or PostgreSQL stopped serving`;
        // No scenario asks a login to wait: one that got no answer at all met a pooler (or a
        // machine) that stalled, even if it serves again by now.
        else if (r.divergence?.kind === 'no-answer' && r.divergence.atLogin) cause = 'a login got no answer within the deadline, and a fresh one right after did: the pooler stalled (stopped, overloaded, or waiting for a server it could not get)';
      }
      if (now !== undefined && epoch === undefined) epoch = now;
      if (!cause) return r;
      const gone = failure();
      if (gone) return { ...r, outcome: 'error', cause: 'infrastructure', divergence: undefined, message: gone };
      await recover();
      return { ...r, outcome: 'error', cause: 'infrastructure', divergence: undefined, message: `${cause}; the result says nothing about the pooler (it saw: ${r.message ?? 'nothing'})` };
    },
  };
}

function pointsAtServers(r: ScenarioRun): boolean {
  if (r.outcome === 'error') return true;
  const d = r.divergence;
  if (!d) return false;
  return d.kind === 'no-answer' || d.kind === 'closed' || (d.sqlstate !== undefined && FAULT_CLASSES.has(d.sqlstate.slice(0, 2)));
}

/**
 * A divergence of something that did not come in time that a second run does not repeat was a
 * stall of the pooler or the machine, not the pooler's behaviour: `error` naming the first
 * attempt. One that repeats stands. `repeated`: the second run is a finding too; one that
 * passes, or diverges as the profile documents, does not repeat it.
 */
export function stalledUnlessRepeated(first: ScenarioRun, again: ScenarioRun, repeated: boolean): ScenarioRun {
  if (repeated) return first;
  const how = again.outcome === 'pass' ? 'the scenario passed' : 'the scenario did what the profile documents';
  return {
    ...first, outcome: 'error', cause: 'stall', divergence: undefined, durationMs: first.durationMs + again.durationMs,
    message: `it did not come in time at first, and ${how} when run again at once: the pooler or the machine stalled, which says nothing about the pooler (first attempt: ${first.message ?? 'no message'})`,
  };
}
