// What a lane's pool is, as far as a scenario's premise depends on it. A leak between clients
// shows only when the next client lands on the server connection an earlier one used, so the
// runner must know, for each pool: how many server connections it has, how long a client keeps
// the one it got, and how many clients it serves at once.
import type { PoolKind } from './pooler-adapter.ts';

/** How long a client keeps the server connection it got: its whole session, or one transaction (or statement). */
export type Holding = 'session' | 'transaction' | 'statement';

export interface PoolShape {
  /** Server connections the pool opens at most. */
  readonly servers: number;
  readonly holds: Holding;
  /**
   * Client connections the pool serves at once, CancelRequests included, where that is fewer
   * than its clients could open (a pgpool-II child serves one client at a time); absent: no limit
   * a scenario meets.
   */
  readonly clients?: number;
  /** In words, for the docs and `list targets`: which server the next client gets. */
  readonly reuse: string;
}

export type PoolShapes = Readonly<Record<PoolKind, PoolShape>>;

/** How a pooling mode holds servers, for a pooler poolcheck only knows by its mode's name. */
export function holdingOf(mode: string | null): Holding {
  return mode === 'transaction' || mode === 'statement' ? mode : 'session';
}

/**
 * The shapes an external pooler's URLs are documented to have (README: `--external-single` is a
 * pool of one server connection), where no adapter says more.
 */
export function externalShapes(mode: string | null): PoolShapes {
  const holds = holdingOf(mode);
  return {
    single: { servers: 1, holds, reuse: 'the one server connection the --external-single URL is documented to have' },
    wide: { servers: Number.POSITIVE_INFINITY, holds, reuse: 'whichever the pooler picks' },
  };
}

/** One line for `list targets` and the docs: "1 server connection, held for a transaction; next client: ...". */
export function describeShape(s: PoolShape): string {
  const servers = Number.isFinite(s.servers) ? `${s.servers} server connection${s.servers === 1 ? '' : 's'}` : 'server connections as needed';
  const clients = s.clients ? `, ${s.clients} client${s.clients === 1 ? '' : 's'} at a time (a further client or CancelRequest waits)` : '';
  return `${servers}, each held by a client for its ${s.holds}${clients}; the next client gets ${s.reuse}`;
}
