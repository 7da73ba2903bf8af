// Sugar over the plain-data model for suite files written in TypeScript.
import type { FrontendMessage } from '../wire/messages.ts';
import type { Scenario, Step } from './model.ts';

/**
 * The deadline of a wait for something PostgreSQL makes happen at once (a notification
 * arriving, a crashed client's lock released). Generous, so a loaded machine is never taken
 * for a diverging pooler: only a pooler that diverges ever waits it out. Waits for something
 * that must NOT happen keep their own short windows.
 */
export const EVENTUALLY_MS = 2000;

export function defineScenario(s: Scenario): Scenario {
  return s;
}

type StepOptions = Omit<Step, 'session' | 'sql'>;

/** A SQL step: step('a', 'SELECT 1', { expect: { rows: [['1']] } }). */
export function step(session: string, sql: string, opts: StepOptions = {}): Step {
  return { session, sql, ...opts };
}

/** The observer's SQL, straight to the database. */
export function observe(sql: string, opts: StepOptions = {}): Step {
  return { session: 'observer', sql, ...opts };
}

export const msg = {
  query: (sql: string): FrontendMessage => ({ type: 'Query', sql }),
  parse: (name: string, sql: string): FrontendMessage => ({ type: 'Parse', name, sql }),
  bind: (statement = '', params: (string | null)[] = [], portal = ''): FrontendMessage => ({ type: 'Bind', statement, params, portal }),
  describeStatement: (name: string): FrontendMessage => ({ type: 'Describe', kind: 'S', name }),
  describePortal: (name = ''): FrontendMessage => ({ type: 'Describe', kind: 'P', name }),
  execute: (portal = '', maxRows = 0): FrontendMessage => ({ type: 'Execute', portal, maxRows }),
  closeStatement: (name: string): FrontendMessage => ({ type: 'Close', kind: 'S', name }),
  flush: (): FrontendMessage => ({ type: 'Flush' }),
  sync: (): FrontendMessage => ({ type: 'Sync' }),
  terminate: (): FrontendMessage => ({ type: 'Terminate' }),
};
