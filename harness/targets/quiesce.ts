import { WireConnection } from '../wire/connection.ts';
import { DeadlineError } from '../wire/errors.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ConnInfo } from './conn-info.ts';

const OTHERS = "FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()";

/**
 * A lane's quiesce: optionally let the pooler drop its server connections (it calls
 * `terminate` to end the lane's backends), then wait until the lane's database has no client
 * backend but ours. One direct control connection per lane serves every quiesce; it is
 * closed when the target stops.
 */
export function laneQuiescer(
  direct: ConnInfo, stops: Array<() => Promise<void>>,
  resetPooler?: (terminate: () => Promise<void>) => Promise<void>,
): () => Promise<void> {
  let control: WireConnection | undefined;
  stops.push(async () => { await control?.close().catch(() => undefined); });
  const value = async (sql: string) => {
    if (!control || control.isClosed) control = await WireConnection.connect({ ...direct, label: 'quiesce', transcript: new Transcript(), timeoutMs: 5000 });
    const row = (await control.exchange([{ type: 'Query', sql }])).find((m) => m.type === 'DataRow');
    return (row?.fields?.values as string[] | undefined)?.[0];
  };
  const terminate = async () => { await value(`SELECT count(pg_terminate_backend(pid)) ${OTHERS}`); };
  // A connection a driver left behind (postgres.js reconnecting to run queued work, say) can
  // open a new server after the reset; the scenario is over, so its backend is ended again
  // until the lane is empty. Closed direct sessions get a moment to exit on their own first.
  return async () => {
    const deadlineMs = 10_000;
    const until = Date.now() + deadlineMs;
    let last: string | undefined = '?';
    for (let round = 0; Date.now() < until; round++) {
      if (resetPooler) await resetPooler(terminate);
      else if (round > 0) await terminate();
      for (const pollUntil = Math.min(until, Date.now() + 500); Date.now() < pollUntil;) {
        last = await value(`SELECT count(*) ${OTHERS}`);
        if (last === '0') return;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    throw new DeadlineError(`timed out after ${deadlineMs}ms waiting for the previous scenario's backends to exit (${last} left)`);
  };
}
