// A scenario's traits, read from its data (the names: kernel/traits.ts).
import type { Trait } from '../kernel/traits.ts';
import { OBSERVER, type Scenario } from './model.ts';

// A BEGIN whose query string does not also end the transaction (BEGIN; ...; COMMIT runs as one).
const OPENS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const CLOSES = /\b(COMMIT|ROLLBACK|END|ABORT)\b/i;
const opensBlock = (sql: string) => OPENS.test(sql) && !CLOSES.test(sql.replace(OPENS, ''));
const ENDS = /^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i;

type MessageList = Extract<Scenario['steps'][number], { kind: 'messages' }>['messages'];

/**
 * Whether a message list is inside a transaction block at a ReadyForQuery: after a Query that
 * opens one, or at a Sync (or the list's end) after an Execute of a BEGIN statement with no
 * Execute of its COMMIT or ROLLBACK before it. BEGIN ... ROLLBACK run in one Sync is never seen
 * open by a pooler; a BEGIN only parsed opens nothing. `statements`: the session's named
 * statements, which outlive the list (portals end with it, at the Sync).
 */
function leavesBlockOpen(messages: MessageList, statements: Map<string, string>): boolean {
  const portals = new Map<string, string>();
  let open = false;
  const runs = (sql: string | undefined) => {
    if (sql === undefined) return;
    if (opensBlock(sql)) open = true;
    else if (ENDS.test(sql)) open = false;
  };
  for (const m of messages) {
    if (m.type === 'Query') {
      runs(m.sql);
      if (open) return true;
    } else if (m.type === 'Parse') statements.set(m.name ?? '', m.sql);
    else if (m.type === 'Bind') {
      const sql = statements.get(m.statement ?? '');
      if (sql !== undefined) portals.set(m.portal ?? '', sql);
    } else if (m.type === 'Execute') runs(portals.get(m.portal ?? ''));
    else if (m.type === 'Sync' && open) return true;
  }
  return open;
}

export function scenarioTraits(s: Scenario): Set<Trait> {
  const traits = new Set<Trait>();
  const statements = new Map<string, Map<string, string>>();
  for (const st of s.steps) {
    if (st.session === OBSERVER) continue;
    if ((st.kind === 'sql' && opensBlock(st.sql)) || (st.kind === 'messages' && leavesBlockOpen(st.messages, statementsOf(statements, st.session))))
      traits.add('transaction-block');
    if (st.kind === 'cancel' && st.cancel === true) traits.add('driver-cancel');
  }
  return traits;
}

const statementsOf = (all: Map<string, Map<string, string>>, session: string): Map<string, string> => {
  let m = all.get(session);
  if (!m) all.set(session, (m = new Map<string, string>()));
  return m;
};
