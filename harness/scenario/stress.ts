// Isolation under load: many clients at once through one pool, each holding session state that
// is its own (a setting, a named statement, a temporary table, an advisory lock, its
// application_name, its sequence's currval), and checking it round after round. A leak (a client
// meets another client's state) or a loss (its own state is gone) only shows when clients
// outnumber the pooler's servers and interleave, which a scenario of two sessions never makes.
// PostgreSQL gives every client its own backend: no leak, no loss, ever.
import type { ConnInfo } from '../kernel/conn-info.ts';
import type { Scenario } from './model.ts';
import { manyRolesCount, stressClients, type RunOverrides } from './run-overrides.ts';
import { errorText } from '../kernel/errors.ts';
import { WireConnection } from '../wire/connection.ts';
import type { ServerMessage } from '../wire/messages.ts';
import { textOf } from '../wire/bytes.ts';
import { Transcript } from '../wire/transcript.ts';

export const STRESS_STATES = ['setting', 'application_name', 'prepared statement', 'temporary table', 'advisory lock', 'currval'] as const;
export type StressState = (typeof STRESS_STATES)[number];

export interface StressOptions {
  readonly pool: ConnInfo;
  readonly clients: number;
  /** Rounds of checks per client once its state is set. */
  readonly rounds: number;
  /** A sequence the scenario created, for currval. */
  readonly sequence: string;
  /**
   * When the whole load must be over; clients still at work then count as unfinished. It is
   * also each exchange's deadline: with clients outnumbering servers, waiting in the pooler's
   * queue for a server (session pooling) is what the pooler is meant to do.
   */
  readonly deadlineMs: number;
}

export interface StressTally {
  readonly clients: number;
  /** Clients that did every round. */
  finished: number;
  /** Per state: checks that saw another client's value (leaked) or none of its own (lost). */
  readonly states: Record<StressState, { leaked: number; lost: number }>;
  /** Checks made (each round checks every state once). */
  checks: number;
  /** The round trip of each round (its six checks pipelined), in ms. */
  readonly roundMs: number[];
  /** The first thing that went wrong for a client beyond leaks and losses (a refused login, no answer). */
  firstTrouble?: string;
}

/**
 * PostgreSQL's max_connections a run needs: `base` for the ordinary scenarios, or room for the
 * largest stress step's clients (each a backend on direct) beside them.
 */
export function backendsNeeded(scenarios: readonly Scenario[], run: RunOverrides, base: number): number {
  // A manyRoles step's pooler keeps a server connection per role's pool.
  const clients = scenarios
    .flatMap((s) => s.steps)
    .map((st) => (st.kind === 'stress' ? stressClients(st, run) : st.kind === 'manyRoles' ? manyRolesCount(st, run) : 0));
  const most = Math.max(0, ...clients);
  return most ? Math.max(base, most + base) : base;
}

/** At most this many logins in flight: a thousand SYNs at once overflow a listen queue, and the retry costs a second. */
const CONNECTING_AT_ONCE = 32;

const own = (i: number) => `c${i}`;

export async function runStress(o: StressOptions): Promise<StressTally> {
  const tally: StressTally = {
    clients: o.clients,
    finished: 0,
    checks: 0,
    roundMs: [],
    states: Object.fromEntries(STRESS_STATES.map((s) => [s, { leaked: 0, lost: 0 }])) as StressTally['states'],
  };
  const deadline = Date.now() + o.deadlineMs;
  let connecting = 0;
  const waiting: Array<() => void> = [];
  const loginSlot = async () => {
    while (connecting >= CONNECTING_AT_ONCE) await new Promise<void>((r) => waiting.push(r));
    connecting++;
    return () => {
      connecting--;
      waiting.shift()?.();
    };
  };
  await Promise.all(
    Array.from({ length: o.clients }, async (_, i) => {
      try {
        await oneClient(i, o, tally, deadline, loginSlot);
      } catch (err) {
        tally.firstTrouble ??= `client ${i}: ${errorText(err).split('\n')[0]}`;
      }
    }),
  );
  return tally;
}

async function oneClient(i: number, o: StressOptions, tally: StressTally, deadline: number, loginSlot: () => Promise<() => void>): Promise<void> {
  const release = await loginSlot();
  let c: WireConnection;
  try {
    c = await WireConnection.connect({
      ...o.pool,
      label: `c${i}`,
      transcript: Transcript.none(),
      timeoutMs: Math.max(1, deadline - Date.now()),
      params: { application_name: `pc_stress_${i}` },
    });
  } finally {
    release();
  }
  try {
    const run = async (sqls: readonly string[]) => {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("the load's deadline passed");
      return replies(
        await c.exchange(
          sqls.map((sql) => ({ type: 'Query' as const, sql })),
          { timeoutMs: left },
        ),
      );
    };
    // Set up: each statement on its own, as a transaction of its own. A statement that fails
    // because the server already holds another client's object of that name is a leak.
    const setup = await run([
      `SET pc.stress = '${own(i)}'`,
      `PREPARE pc_stress AS SELECT '${own(i)}'::text`,
      `CREATE TEMP TABLE pc_stress AS SELECT '${own(i)}'::text AS v`,
      `SELECT pg_advisory_lock(${i})`,
      `SELECT nextval('${o.sequence}')::text`,
    ]);
    if (setup[1].error === '42P05') tally.states['prepared statement'].leaked++;
    if (setup[2].error === '42P07') tally.states['temporary table'].leaked++;
    const mine = setup[4].value;
    for (let round = 0; round < o.rounds; round++) {
      const started = performance.now();
      const [setting, app, prepared, temp, locks, currval] = await run([
        "SELECT current_setting('pc.stress', true)",
        'SHOW application_name',
        'EXECUTE pc_stress',
        'SELECT v FROM pc_stress',
        "SELECT string_agg(objid::text, ',' ORDER BY objid) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        `SELECT currval('${o.sequence}')::text`,
      ]);
      tally.roundMs.push(performance.now() - started);
      tally.checks += STRESS_STATES.length;
      tallyCheck(tally, 'setting', setting.value, own(i), (v) => /^c\d+$/.test(v));
      tallyCheck(tally, 'application_name', app.value, `pc_stress_${i}`, (v) => /^pc_stress_\d+$/.test(v));
      tallyCheck(tally, 'prepared statement', prepared.value, own(i), (v) => /^c\d+$/.test(v));
      tallyCheck(tally, 'temporary table', temp.value, own(i), (v) => /^c\d+$/.test(v));
      tallyCheck(tally, 'advisory lock', locks.value, String(i), (v) => v !== '');
      tallyCheck(tally, 'currval', currval.value, mine ?? '', (v) => /^\d+$/.test(v) && mine !== undefined);
    }
    tally.finished++;
  } finally {
    await c.close().catch(() => undefined);
  }
}

/** Own value: fine. Another client's (or more than its own): leaked. Nothing (null, an error): lost. */
function tallyCheck(tally: StressTally, state: StressState, got: string | undefined, mine: string, anothers: (v: string) => boolean): void {
  if (got === mine) return;
  if (got !== undefined && anothers(got)) tally.states[state].leaked++;
  else tally.states[state].lost++;
}

interface Reply {
  readonly value?: string;
  readonly error?: string;
}

/** Each Query's first value or SQLSTATE, in order (one ReadyForQuery ends each). */
function replies(messages: readonly ServerMessage[]): Reply[] {
  const out: Reply[] = [];
  let current: { value?: string; error?: string } = {};
  for (const m of messages) {
    if (m.type === 'DataRow' && current.value === undefined) current.value = textOf(m.values[0] ?? null) ?? undefined;
    if (m.type === 'ErrorResponse') current.error = m.code ?? 'error';
    if (m.type === 'ReadyForQuery') {
      out.push(current);
      current = {};
    }
  }
  return out;
}

/** The tally as the step's rows: each state's leaks and losses, then the clients, the checks and the round trips. */
export function tallyRows(t: StressTally): string[][] {
  const sorted = [...t.roundMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1) : '-');
  const leaked = STRESS_STATES.reduce((n, s) => n + t.states[s].leaked, 0);
  return [
    ...STRESS_STATES.map((s) => [s, String(t.states[s].leaked), String(t.states[s].lost)]),
    ['clients unfinished', String(t.clients - t.finished), `of ${t.clients}`],
    ['checks, leak rate', String(t.checks), t.checks ? `${((100 * leaked) / t.checks).toFixed(2)}%` : '-'],
    ['round ms p50 p95', at(0.5), at(0.95)],
    ['round ms p99 max', at(0.99), sorted.length ? sorted[sorted.length - 1].toFixed(1) : '-'],
  ];
}
