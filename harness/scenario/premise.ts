// A scenario about state reaching another client rests on a premise: the next client of the
// single pool lands on the server connection an earlier client of the scenario used. Where it
// does not (a pooler that opens a fresh backend instead), the scenario passes without testing
// anything, so the premise is planned from the steps and the target's pool shapes before the
// scenario runs, and checked from the backends the observer sees while it runs.
//
// Planned: in session pooling (and pgpool-II) a client keeps its server until it disconnects,
// so a client of the single pool that starts while another still holds the one server cannot
// land on it; it connects through the wide pool, where it gets a server of its own as session
// pooling gives it (the scenario then checks isolation between clients that hold servers at
// once), unless the scenario asks it to wait (`singleHeld: 'wait'`). A client that starts after
// an earlier one released the server (disconnected; or, in transaction pooling, finished its
// transaction) is a follower: its premise is checked.
//
// Checked: the backends of the lane's database are read just before a single-pool client's
// first step and right after its first query; those that appeared are the server it got. A
// follower that got a new backend while one an earlier client used was still there did not land
// on it: the premise failed. One whose earlier servers are gone (the pooler closed a server a
// client left dirty) met the pooler's own answer to the question the scenario asks: held.
import type { PoolShapes } from '../poolers/pool-shape.ts';
import type { PoolKind } from '../poolers/pooler-adapter.ts';
import { OBSERVER, type Scenario, type Step } from './model.ts';

export type Premise = 'held' | 'failed';

export interface PoolPlan {
  /** The pool each client session connects through on this target. */
  readonly pools: ReadonlyMap<string, PoolKind>;
  /** Why the scenario cannot run on this target as written (its result is `skip`). */
  readonly cannot?: string;
  /** Sessions that must land on the server connection an earlier session of the single pool used. */
  readonly followers: ReadonlySet<string>;
  /** Why a session connects through another pool than the scenario names, for its transcript. */
  readonly moved: ReadonlyMap<string, string>;
}

const declaredPool = (s: Scenario, session: string): PoolKind => s.sessions[session]?.pool ?? s.pool;

/** The pools and followers of `s` on a target with these pool shapes; none (PostgreSQL itself): every client has its own backend. */
export function planPools(s: Scenario, shapes: PoolShapes | undefined): PoolPlan {
  const pools = new Map<string, PoolKind>();
  const followers = new Set<string>();
  const moved = new Map<string, string>();
  const open = new Set<string>();
  let cannot: string | undefined;
  for (const st of s.steps) {
    const name = st.session;
    if (name === OBSERVER) continue;
    if (!pools.has(name)) {
      let pool = declaredPool(s, name);
      if (shapes) {
        const singles = [...open].filter((o) => pools.get(o) === 'single');
        const holder = singles[0];
        if (pool === 'single' && shapes.single.holds === 'session' && holder !== undefined && s.singleHeld !== 'wait') {
          pool = 'wide';
          moved.set(
            name,
            `${holder} holds the single pool's one server connection for its session, so ${name} gets a server of its own through the wide pool`,
          );
        } else if (pool === 'single' && [...pools.values()].includes('single')) {
          followers.add(name);
        }
        const limit = shapes[pool].clients;
        if (limit !== undefined && [...open].filter((o) => pools.get(o) === pool).length >= limit && s.singleHeld !== 'wait') {
          cannot ??= `${name} would wait for the ${pool} pool, which serves ${limit} client(s) at a time`;
        }
      }
      pools.set(name, pool);
      open.add(name);
    }
    if (st.kind === 'disconnect') open.delete(name);
    if (st.kind === 'cancel' && shapes) {
      // A CancelRequest is a connection of its own: where the pool serves one client at a time,
      // it waits behind the very query it is meant to cancel.
      const pool = pools.get(name)!;
      const limit = shapes[pool].clients;
      if (limit !== undefined && [...open].filter((o) => pools.get(o) === pool).length >= limit) {
        cannot ??= `${name}'s CancelRequest would wait for the ${pool} pool, which serves ${limit} client(s) at a time, ${name} among them`;
      }
    }
  }
  return { pools, followers, moved, ...(cannot ? { cannot } : {}) };
}

/** The steps after which the server a session got is known: they sent the server a query. */
const QUERYING: ReadonlySet<Step['kind']> = new Set(['sql', 'named', 'messages']);

/** What the watch needs from the run: the lane's backends now, and a line for the transcript. */
export interface PremiseProbe {
  backends(): Promise<ReadonlySet<number>>;
  note(session: string, text: string): void;
  /** Registers pids so the transcript shows them as pid#N. */
  pids(pids: Iterable<number>): void;
}

/** Checks, while the scenario runs, that each follower landed on a server an earlier client used. */
export class PremiseWatch {
  private readonly before = new Map<string, ReadonlySet<number>>();
  private readonly servers = new Map<string, ReadonlySet<number>>();
  private readonly order: string[] = [];
  private failure: string | undefined;
  private held = false;

  constructor(
    private readonly plan: PoolPlan,
    private readonly probe: PremiseProbe,
  ) {}

  /** Whether a session's server is still to be learnt (it is on the single pool and the scenario has followers). */
  private watching(session: string): boolean {
    return this.plan.followers.size > 0 && this.plan.pools.get(session) === 'single' && !this.servers.has(session);
  }

  async beforeStep(st: Step): Promise<void> {
    if (st.session === OBSERVER || !this.watching(st.session) || this.before.has(st.session)) return;
    this.before.set(st.session, await this.probe.backends());
    this.order.push(st.session);
  }

  /** After a foreground step, or the `await` of a background one (`kind` is then the awaited step's). */
  async afterStep(session: string, kind: Step['kind']): Promise<void> {
    const before = this.before.get(session);
    if (!before || !QUERYING.has(kind) || !this.watching(session)) return;
    const now = await this.probe.backends();
    const got = new Set([...now].filter((p) => !before.has(p)));
    this.servers.set(session, got);
    this.probe.pids(got);
    if (!this.plan.followers.has(session)) return;
    const earlier = this.order.slice(0, this.order.indexOf(session)).filter((o) => this.servers.has(o));
    const used = new Set(earlier.flatMap((o) => [...this.servers.get(o)!]));
    // Still there after the session got its own: a server the pooler was closing when the
    // session came (a client left it dirty) is gone by now.
    const left = [...used].filter((p) => before.has(p) && now.has(p));
    this.probe.pids(used);
    if (got.size && left.length) {
      this.failure ??= `${session} got another server connection while the one ${earlier.join(', ')} used was idle`;
      this.probe.note(session, `premise failed: ${session} got ${[...got].join(', ')}, not ${left.join(', ')}, which ${earlier.join(', ')} used`);
    } else if (left.length) {
      this.held = true;
      this.probe.note(session, `premise held: ${session} is on the server connection ${earlier.join(', ')} used (${left.join(', ')})`);
    } else if (used.size) {
      this.held = true;
      this.probe.note(
        session,
        `premise held: the server connection ${earlier.join(', ')} used (${[...used].join(', ')}) is gone (the pooler closed it), so ${session} got a new one`,
      );
    }
  }

  /** held: every follower checked landed where it should; failed: one did not, and why. */
  get premise(): { readonly premise: Premise; readonly reason?: string } | undefined {
    if (this.failure) return { premise: 'failed', reason: this.failure };
    return this.held ? { premise: 'held' } : undefined;
  }
}
