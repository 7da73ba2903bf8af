// Keeping a session busy without sleeping: it runs a query that waits for an advisory lock the
// observer holds (on a one-server pool that also keeps the server taken), and the scenario
// goes on once the observer sees it waiting. Releasing the lock lets the query finish.
import { observe, step } from './define.ts';
import type { StepSpec } from './model.ts';

const LOCK = "hashtext('{{lk}}')";
const WAITING = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{{lk}}%' AND pid <> pg_backend_pid()";

/** `name` is the background step that releaseObserverLock awaits. */
export function waitOnObserverLock(session: string, name: string): StepSpec[] {
  return [
    observe(`SELECT pg_advisory_lock(${LOCK})`),
    step(session, `SELECT pg_advisory_xact_lock(${LOCK})`, { background: name, label: `${session} waits on the observer's advisory lock` }),
    { session: 'observer', waitFor: { sql: WAITING, rows: [['1']] } },
  ];
}

/** With `expectRow`, the waiting query must then finish with its one row (it was not cancelled). */
export function releaseObserverLock(session: string, name: string, expectRow = false): StepSpec[] {
  return [
    observe(`SELECT pg_advisory_unlock(${LOCK})`, { expect: { rows: [['t']] } }),
    { session, await: name, ...(expectRow ? { expect: { rowCount: 1 } } : {}) },
  ];
}

/**
 * The observer waits until the query whose text carries {{mark}} is inside pg_sleep, not merely
 * `active`: a backend reports `active` from an extended-protocol query's Parse on, and drops a
 * cancel that arrives while it waits for that query's next message (postgres.c,
 * ProcessInterrupts: a cancel while reading a command from the client is ignored). A cancel
 * sent then would be lost on PostgreSQL itself, and the scenario would time out on direct.
 */
export function waitUntilSleeping(mark: string): StepSpec {
  return {
    session: 'observer',
    waitFor: {
      sql: `SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%{{${mark}}}%' AND pid <> pg_backend_pid()`,
      rows: [['1']],
    },
  };
}

/**
 * pgbouncer's console shows `waiting` clients queued for the single pool's server (cl_waiting in
 * SHOW POOLS). Elsewhere these steps check nothing, and the scenario goes on at once: direct has
 * no queue; pgpool-II's single pool does not accept the next client until its child is free;
 * Odyssey's SHOW POOLS names each pool by its storage database, which the single and the wide
 * pool share, so its single pool's row cannot be told apart.
 */
export function queuedForSingleServer(waiting: number): StepSpec[] {
  return [
    {
      session: 'observer',
      admin: { pooler: 'pgbouncer', command: 'SHOW POOLS', pool: 'single', columns: ['cl_waiting'], until: [[String(waiting)]] },
      label: `pgbouncer's console shows ${waiting} client(s) waiting for the single pool's server`,
    },
  ];
}
