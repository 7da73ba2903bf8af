// Each lane's one control connection, straight to the lane's database as the observer role:
// it serves the quiesce between two scenarios and, lent to the scenario in between, its
// observer steps. One connection instead of one per scenario: every new connection is a
// backend fork, and forks are most of what a run costs the machine.
import type { ConnInfo } from '../kernel/conn-info.ts';
import { OBSERVER } from '../kernel/names.ts';
import { poll } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { Transcript } from '../wire/transcript.ts';
import { ControlConnection } from './control-connection.ts';
import type { LaneObserver } from './started-target.ts';

const OTHERS = "FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()";

export interface LaneControl {
  quiesce(): Promise<void>;
  readonly observer: LaneObserver;
}

/**
 * `resetPooler`, when given, lets the pooler drop its server connections (it calls
 * `terminate` to end the lane's backends); the quiesce then waits until the lane's database
 * has no client backend but the control connection. `stops` gets the connection's closing.
 */
export function laneControl(
  direct: ConnInfo, stops: Array<() => Promise<void>>,
  resetPooler?: (terminate: () => Promise<void>) => Promise<void>,
): LaneControl {
  const control = new ControlConnection(direct, OBSERVER);
  stops.push(() => control.close());
  const terminate = async () => { await control.value(`SELECT count(pg_terminate_backend(pid)) ${OTHERS}`); };

  // A connection a driver left behind (postgres.js reconnecting to run queued work, say) can
  // open a new server after the reset; the scenario is over, so its backend is ended again
  // until the lane is empty. Closed direct sessions get a moment to exit on their own first.
  const quiesce = async () => {
    let left: string | null | undefined = '?';
    let round = 0;
    let roundEnds = 0;
    await poll({ what: "the previous scenario's backends to exit", timeoutMs: TIMEOUT_MS.quiesce, seen: () => `${left} left` }, async () => {
      if (Date.now() >= roundEnds) {
        if (resetPooler) await resetPooler(terminate);
        else if (round > 0) await terminate();
        round++;
        roundEnds = Date.now() + 500;
      }
      left = await control.value(`SELECT count(*) ${OTHERS}`);
      return left === '0' ? true : undefined;
    });
  };

  let lentTo: Transcript | undefined;
  const observer: LaneObserver = {
    query(sql, transcript, timeoutMs) {
      if (lentTo !== transcript) {
        lentTo = transcript;
        control.recordInto(transcript);
      }
      return control.exchange([sql], timeoutMs);
    },
    async release() {
      if (!lentTo) return;
      lentTo = undefined;
      control.recordInto(Transcript.none());
      if (!control.isOpen) return;
      // Whatever the scenario left on the session goes: an open transaction, then settings,
      // session advisory locks, LISTEN, temporary tables and prepared statements (DISCARD
      // ALL, which refuses to run inside a transaction block, hence the ROLLBACK first).
      const replies = await control.exchange(['ROLLBACK', 'DISCARD ALL']).catch(() => undefined);
      if (!replies || replies.some((m) => m.type === 'ErrorResponse')) await control.close();
    },
  };
  return { quiesce, observer };
}
