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

/** A stress client's login: it speaks the protocol itself, as raw does. */
const RAW_LOGIN_MS = 60;
/** A step's round trip, and the quiesce between scenarios on a lane. */
const STEP_MS = 8;
const QUIESCE_MS = 40;
/** A result decided without touching a server (a skip, an invalid scenario). */
const DECIDED_MS = 0.5;

/** Time a scenario spends waiting on purpose: windows in which something must not happen, and sleeps. */
function waitsMs(s: Scenario): number {
  let ms = 0;
  for (const st of s.steps) {
    if (st.kind === 'waitNotification' && st.expect?.notification === null) ms += st.timeoutMs ?? 0;
    // Every client logs in and checks its state round after round (a few ms a round, pipelined).
    if (st.kind === 'stress') ms += st.stress.clients * (RAW_LOGIN_MS + st.stress.rounds * 2);
    if (st.kind === 'manyRoles') ms += st.manyRoles.roles * RAW_LOGIN_MS * 1.2;
    if (st.kind === 'sql') {
      const sleep = /pg_sleep\(\s*([\d.]+)\s*\)/.exec(st.sql);
      // A sleep in the foreground is waited out; one in the background is usually cancelled.
      if (sleep && !st.background) ms += Math.min(Number(sleep[1]) * 1000, st.timeoutMs ?? Infinity);
    }
  }
  return ms;
}

const logins = (s: Scenario) => Object.keys(s.sessions).length + s.steps.filter((st) => st.kind === 'connect').length;

export function estimateCost(s: Scenario, d: Driver, target: TargetSpec): number {
  if (skipReason(s, d) !== undefined) return DECIDED_MS;
  const ms = QUIESCE_MS + logins(s) * d.loginMs + s.steps.length * STEP_MS + waitsMs(s);
  // A pooler answers more slowly than PostgreSQL: each query crosses one more process, which parses it.
  return ms * (target.pooler ? (findPooler(target.pooler)?.adapter?.costFactor ?? 1) : 1);
}
