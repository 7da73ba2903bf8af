// Each lane's one control connection, straight to the lane's database as the observer role:
// it serves the quiesce between two scenarios and, lent to the scenario in between, its
// observer steps. One connection instead of one per scenario: every new connection is a
// backend fork, and forks are most of what a run costs the machine.
import type { ConnInfo } from '../kernel/conn-info.ts';
import { OBSERVER } from '../kernel/names.ts';
import { poll } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { Transcript } from '../wire/transcript.ts';
import type { PoolKind } from '../poolers/pooler-adapter.ts';
import { ControlConnection } from './control-connection.ts';
import type { LaneObserver } from './started-target.ts';

const OTHERS = "FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()";

export interface LaneControl {
  quiesce(): Promise<void>;
  readonly observer: LaneObserver;
}

/**
 * How the quiesce gets rid of the previous scenario's server connections:
 *  - `reset`: the pooler drops them itself (an adapter's reset through its admin console,
 *    which calls `terminate` to end the lane's backends); then the lane's database must have
 *    no client backend but the control connection;
 *  - `sweep`: a pooler poolcheck cannot see into. Ending its servers from outside would leave
 *    it holding dead connections that some poolers hand to the next client (FATAL 57P01 in the
 *    next scenario), so its own clients end them from inside, where it notices; servers it
 *    opens afresh (a minimum pool size) may stay;
 *  - `spare-older`: PostgreSQL shared with a pooler poolcheck did not start: only sessions
 *    begun since the target started (the scenarios') are ended from outside, never the
 *    pooler's server connections, which it would go on handing out dead;
 *  - neither: PostgreSQL itself; sessions a scenario left are ended from outside.
 * `stops` gets the connection's closing.
 */
export type LaneReset =
  | { readonly kind: 'reset'; run(terminate: () => Promise<void>): Promise<void> }
  | { readonly kind: 'sweep'; readonly pools: Readonly<Record<PoolKind, ConnInfo>> }
  | { readonly kind: 'spare-older' };

export function laneControl(direct: ConnInfo, stops: Array<() => Promise<void>>, reset?: LaneReset): LaneControl {
  const control = new ControlConnection(direct, OBSERVER);
  stops.push(() => control.close());
  const terminate = async (filter = '') => {
    await control.value(`SELECT count(pg_terminate_backend(pid)) ${OTHERS}${filter}`);
  };
  let targetStart: string | null | undefined;

  // A connection a driver left behind (postgres.js reconnecting to run queued work, say) can
  // open a new server after the reset; the scenario is over, so its backend is ended again
  // until the lane is empty. Closed direct sessions get a moment to exit on their own first.
  const quiesce = async () => {
    if (reset?.kind === 'spare-older') targetStart ??= await control.value('SELECT now()::text');
    const since = reset?.kind === 'sweep' ? await control.value('SELECT now()::text') : undefined;
    // Which backends the quiesce waits for: those from before the sweep, those the target's
    // scenarios began, or all.
    const scope = since ? ` AND backend_start < '${since}'::timestamptz` : targetStart ? ` AND backend_start >= '${targetStart}'::timestamptz` : '';
    const what =
      reset?.kind === 'sweep'
        ? "the pooler's server connections of the previous scenario to be ended by its own clients"
        : "the previous scenario's backends to exit";
    let left: string | null | undefined = '?';
    let round = 0;
    let roundEnds = 0;
    await poll({ what, timeoutMs: TIMEOUT_MS.quiesce, seen: () => `${left} left` }, async () => {
      if (Date.now() >= roundEnds) {
        if (reset?.kind === 'reset') await reset.run(terminate);
        else if (reset?.kind === 'sweep') await sweep(control, reset.pools, scope, terminate);
        else if (round > 0) await terminate(scope);
        round++;
        roundEnds = Date.now() + 500;
      }
      left = await control.value(`SELECT count(*) ${OTHERS}${scope}`);
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

/**
 * One round of the sweep: as many clients of the pooler as the pooled role has old backends
 * each end the backend they are given, so the pooler sees its server die while a client holds
 * it and drops it; the single pool holds one server at most. Old backends of other roles
 * (authentication scenarios' logins) are ended from outside.
 */
async function sweep(
  control: ControlConnection,
  pools: Readonly<Record<PoolKind, ConnInfo>>,
  before: string,
  terminate: (filter: string) => Promise<void>,
): Promise<void> {
  const role = `'${pools.wide.user.replace(/'/g, "''")}'`;
  const old = Number(await control.value(`SELECT count(*) ${OTHERS}${before} AND usename = ${role}`));
  if (old) await Promise.all([endOwnBackend(pools.single), ...Array.from({ length: old }, () => endOwnBackend(pools.wide))]);
  await terminate(`${before} AND usename <> ${role}`);
}

async function endOwnBackend(pool: ConnInfo): Promise<void> {
  const c = new ControlConnection(pool, 'quiesce sweep client');
  // One Query, so one transaction and one server whatever the pooling mode. A role the last
  // scenario SET on that server may not signal the backend; the login role may. The client is
  // told its connection ended (57P01): that is the point.
  await c.exchange(['SET SESSION AUTHORIZATION DEFAULT; RESET ROLE; SELECT pg_terminate_backend(pg_backend_pid())']).catch(() => undefined);
  await c.close();
}
