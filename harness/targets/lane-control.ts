// Each lane's one control connection, straight to the lane's database as the observer role:
// it serves the quiesce between two scenarios and, lent to the scenario in between, its
// observer steps. One connection instead of one per scenario: every new connection is a
// backend fork, and forks are most of what a run costs the machine.
import { WireConnection } from '../wire/connection.ts';
import { DeadlineError } from '../wire/errors.ts';
import type { ServerMessage } from '../wire/messages.ts';
import { Transcript } from '../wire/transcript.ts';
import { OBSERVER } from '../scenario/model.ts';
import { backoff } from './backoff.ts';
import type { ConnInfo } from './conn-info.ts';
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
  let control: WireConnection | undefined;
  stops.push(async () => { await control?.close().catch(() => undefined); });
  const connection = async () => {
    if (!control || control.isClosed) control = await WireConnection.connect({ ...direct, label: OBSERVER, transcript: Transcript.none(), timeoutMs: 5000 });
    return control;
  };
  const value = async (sql: string) => {
    const row = (await (await connection()).exchange([{ type: 'Query', sql }])).find((m) => m.type === 'DataRow');
    return (row?.fields?.values as string[] | undefined)?.[0];
  };
  const terminate = async () => { await value(`SELECT count(pg_terminate_backend(pid)) ${OTHERS}`); };

  // A connection a driver left behind (postgres.js reconnecting to run queued work, say) can
  // open a new server after the reset; the scenario is over, so its backend is ended again
  // until the lane is empty. Closed direct sessions get a moment to exit on their own first.
  const quiesce = async () => {
    const deadlineMs = 10_000;
    const until = Date.now() + deadlineMs;
    let last: string | undefined = '?';
    for (let round = 0; Date.now() < until; round++) {
      if (resetPooler) await resetPooler(terminate);
      else if (round > 0) await terminate();
      for (let poll = 0, pollUntil = Math.min(until, Date.now() + 500); Date.now() < pollUntil; poll++) {
        last = await value(`SELECT count(*) ${OTHERS}`);
        if (last === '0') return;
        await backoff(poll);
      }
    }
    throw new DeadlineError(`timed out after ${deadlineMs}ms waiting for the previous scenario's backends to exit (${last} left)`);
  };

  let lent: { transcript: Transcript; inDoubt: boolean } | undefined;
  const observer: LaneObserver = {
    async query(sql, transcript, timeoutMs) {
      const conn = await connection();
      if (lent?.transcript !== transcript) {
        lent = { transcript, inDoubt: false };
        conn.recordInto(transcript);
      }
      try {
        return await conn.exchange([{ type: 'Query', sql }], { timeoutMs });
      } catch (err) {
        // A reply that missed its deadline may still arrive and would answer the next query.
        lent.inDoubt = true;
        throw err;
      }
    },
    async release() {
      if (!lent || !control) return;
      const { inDoubt } = lent;
      lent = undefined;
      control.recordInto(Transcript.none());
      if (inDoubt || control.isClosed) {
        await control.close().catch(() => undefined);
        return;
      }
      // Whatever the scenario left on the session goes: an open transaction, then settings,
      // session advisory locks, LISTEN, temporary tables and prepared statements (DISCARD
      // ALL, which refuses to run inside a transaction block, hence the ROLLBACK first).
      control.discardInbox();
      await control.exchange([{ type: 'Query', sql: 'ROLLBACK' }, { type: 'Query', sql: 'DISCARD ALL' }], { timeoutMs: 5000 })
        .then((replies: ServerMessage[]) => { if (replies.some((m) => m.type === 'ErrorResponse')) throw new Error('reset failed'); })
        .catch(async () => { await control?.close().catch(() => undefined); });
    },
  };
  return { quiesce, observer };
}
