// Many pools: a pooler keeps a pool per (database, role), so a few hundred roles (or ten
// thousand, --stress-roles) logging in make as many pools, each with its server connection and
// its cached secret. Then some roles are dropped: a new login as a remaining role must still
// work, and a dropped role must be refused, as PostgreSQL refuses it at once. A pooler that
// answers a dropped role from a secret it cached, or that stops serving once its pools
// outnumber some limit, differs here where a two-session scenario never shows it.
// https://www.postgresql.org/docs/current/sql-droprole.html
import type { ConnInfo } from '../kernel/conn-info.ts';
import { errorText, ServerError } from '../kernel/errors.ts';
import { textOf } from '../wire/bytes.ts';
import { WireConnection } from '../wire/connection.ts';
import { scramSecret } from '../wire/scram.ts';
import { Transcript } from '../wire/transcript.ts';
import type { QueryResult } from '../drivers/session.ts';

export interface ManyRolesOptions {
  /** The lane's pool, whose host, port and database the logins use. */
  readonly pool: ConnInfo;
  readonly roles: number;
  /** How many of them to drop after the first logins. */
  readonly drop: number;
  /** The roles' names are `${prefix}_${i}` (a run-unique template). */
  readonly prefix: string;
  /** The observer: runs straight on the database (role DDL). */
  readonly observe: (sql: string) => Promise<QueryResult>;
  /** When the whole step must be over; logins not done by then count as failed. */
  readonly deadlineMs: number;
}

export interface ManyRolesTally {
  readonly roles: number;
  loginsFailed: number;
  /** After the drop: logins as a role still there that failed, of how many tried. */
  remainingFailed: number;
  remainingTried: number;
  /** After the drop: logins as a dropped role that got a session, of how many tried. */
  droppedLetIn: number;
  droppedTried: number;
  readonly loginMs: number[];
  firstTrouble?: string;
}

/**
 * At most this many logins in flight: fewer than the narrowest wide pool's clients at once
 * (pgpool-II's 8 children a lane, which refuse a further client with 53300 "sorry, too many
 * clients already", reserved_connections): the scenario is about pools, not the queue.
 */
const CONNECTING_AT_ONCE = 6;
/** After the drop, this many of each kind are tried: enough to show a cached secret, cheap at ten thousand roles. */
const SAMPLE = 50;
/** Roles created or dropped per Query: small enough to answer within the observer's deadline on a loaded machine. */
const DDL_BATCH = 25;

const roleName = (prefix: string, i: number) => `${prefix}_${i}`;

/** The role DDL, a batch of statements a Query; a failed one is the scenario's error. */
async function ddl(o: ManyRolesOptions, statements: readonly string[]): Promise<void> {
  for (let i = 0; i < statements.length; i += DDL_BATCH) {
    const r = await o.observe(statements.slice(i, i + DDL_BATCH).join('; '));
    if (r.error) throw new Error(`role DDL failed: ${r.error.code} ${r.error.message}`);
  }
}

export async function runManyRoles(o: ManyRolesOptions): Promise<ManyRolesTally> {
  const password = `${o.prefix}-pw`;
  // One SCRAM secret for every role (it does not hold the role's name): the server hashes nothing.
  const secret = scramSecret(password);
  const tally: ManyRolesTally = {
    roles: o.roles,
    loginsFailed: 0,
    remainingFailed: 0,
    remainingTried: 0,
    droppedLetIn: 0,
    droppedTried: 0,
    loginMs: [],
  };
  const deadline = Date.now() + o.deadlineMs;
  const all = Array.from({ length: o.roles }, (_, i) => roleName(o.prefix, i));
  await ddl(
    o,
    all.map((r) => `CREATE ROLE ${r} LOGIN PASSWORD '${secret}'`),
  );

  const refusals = new Map<string, string>();
  const login = async (role: string): Promise<'in' | 'refused'> => {
    const started = performance.now();
    let c: WireConnection;
    try {
      c = await WireConnection.connect({
        ...o.pool,
        user: role,
        password,
        label: role,
        transcript: Transcript.none(),
        timeoutMs: Math.max(1, deadline - Date.now()),
      });
    } catch (err) {
      // The server's (or pooler's) refusal is an ErrorResponse; no answer is trouble.
      if (err instanceof ServerError) {
        refusals.set(role, `${err.code} ${err.message}`);
        return 'refused';
      }
      throw err;
    }
    try {
      tally.loginMs.push(performance.now() - started);
      const got = await c.exchange([{ type: 'Query', sql: 'SELECT current_user' }], { timeoutMs: Math.max(1, deadline - Date.now()) });
      const row = got.find((m) => m.type === 'DataRow');
      if (row?.type !== 'DataRow' || textOf(row.values[0] ?? null) !== role) throw new Error(`${role}: current_user is not the role it logged in as`);
      return 'in';
    } finally {
      await c.close().catch(() => undefined);
    }
  };
  const each = async (roles: readonly string[], expected: 'in' | 'refused', onResult: (r: 'in' | 'refused' | Error) => void) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONNECTING_AT_ONCE, roles.length) }, async () => {
        while (next < roles.length) {
          const role = roles[next++];
          const r = await login(role).catch((err: unknown) => (err instanceof Error ? err : new Error(errorText(err))));
          if (r instanceof Error) tally.firstTrouble ??= `${role}: ${errorText(r).split('\n')[0]}`;
          else if (r !== expected) tally.firstTrouble ??= `${role}: ${r === 'in' ? 'let in' : `refused (${refusals.get(role) ?? '?'})`}`;
          onResult(r);
        }
      }),
    );
  };
  try {
    await each(all, 'in', (r) => {
      if (r !== 'in') tally.loginsFailed++;
    });
    const dropped = all.slice(0, o.drop);
    await ddl(
      o,
      dropped.map((r) => `DROP ROLE ${r}`),
    );
    const remaining = all.slice(o.drop);
    const sample = (xs: readonly string[]) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / SAMPLE)) === 0).slice(0, SAMPLE);
    const stay = sample(remaining);
    const gone = sample(dropped);
    tally.remainingTried = stay.length;
    tally.droppedTried = gone.length;
    await each(stay, 'in', (r) => {
      if (r !== 'in') tally.remainingFailed++;
    });
    await each(gone, 'refused', (r) => {
      if (r === 'in') tally.droppedLetIn++;
    });
  } finally {
    // The roles go whatever happened; a pooler's server connection as a role does not stop DROP ROLE.
    await ddl(
      o,
      all.map((r) => `DROP ROLE IF EXISTS ${r}`),
    ).catch(() => undefined);
  }
  return tally;
}

/** The tally as the step's rows: the failures, then the login times. */
export function manyRolesRows(t: ManyRolesTally): string[][] {
  const sorted = [...t.loginMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))].toFixed(1) : '-');
  return [
    ['logins failed', String(t.loginsFailed), `of ${t.roles}`],
    ['after the drop: remaining roles failed', String(t.remainingFailed), `of ${t.remainingTried}`],
    ['after the drop: dropped roles let in', String(t.droppedLetIn), `of ${t.droppedTried}`],
    ['login ms p50 p95', at(0.5), at(0.95)],
    ['login ms p99 max', at(0.99), sorted.length ? sorted[sorted.length - 1].toFixed(1) : '-'],
  ];
}
