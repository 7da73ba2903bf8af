// What one result is expected to cost in wall time, for balancing shards. Only the ratios matter:
// a shard's share is its sum of costs. Figures are milliseconds per result measured on the
// default bookworm matrix (2 cores): a login is most of a result (SCRAM key derivation, a backend
// forked), and how long one takes depends on the driver (asyncpg derives SCRAM keys in Python,
// pgjdbc reuses a warm JVM).
import type { Driver } from '../drivers/session.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import type { Scenario } from './model.ts';
import { skipReason } from './skip-reason.ts';
import { findPooler } from '../poolers/known-poolers.ts';
import { kindOf } from './step-kinds.ts';

/** A login of poolcheck's own wire client (a stress client's, a manyRoles login's), as raw's. */
const RAW_LOGIN_MS = 60;
/** A step's round trip, and the quiesce between scenarios on a lane. */
const STEP_MS = 8;
const QUIESCE_MS = 40;
/** A result decided without touching a server (a skip, an invalid scenario). */
const DECIDED_MS = 0.5;

/** Each step's round trip, and what its kind spends beyond one (a login, a wait, many clients: step-kinds.ts costMs). */
function stepsMs(s: Scenario, d: Driver): number {
  const figures = { loginMs: d.loginMs, rawLoginMs: RAW_LOGIN_MS };
  return s.steps.reduce((ms, st) => ms + STEP_MS + (kindOf(st).costMs?.(st, figures) ?? 0), 0);
}

export function estimateCost(s: Scenario, d: Driver, target: TargetSpec): number {
  if (skipReason(s, d) !== undefined) return DECIDED_MS;
  const ms = QUIESCE_MS + Object.keys(s.sessions).length * d.loginMs + stepsMs(s, d);
  // A pooler answers more slowly than PostgreSQL: each query crosses one more process, which parses it.
  return ms * (target.pooler ? (findPooler(target.pooler)?.adapter?.costFactor ?? 1) : 1);
}
