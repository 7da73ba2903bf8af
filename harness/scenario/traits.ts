// A scenario's traits, read from its data (the names: kernel/traits.ts).
import type { Trait } from '../kernel/traits.ts';
import { OBSERVER, type Scenario } from './model.ts';

// A BEGIN whose query string does not also end the transaction (BEGIN; ...; COMMIT runs as one).
const OPENS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const CLOSES = /\b(COMMIT|ROLLBACK|END|ABORT)\b/i;
const opensBlock = (sql: string) => OPENS.test(sql) && !CLOSES.test(sql.replace(OPENS, ''));

export function scenarioTraits(s: Scenario): Set<Trait> {
  const traits = new Set<Trait>();
  for (const st of s.steps) {
    if (st.session === OBSERVER) continue;
    const texts =
      st.kind === 'sql'
        ? [st.sql]
        : st.kind === 'messages'
          ? st.messages.map((m) => (m.type === 'Query' || m.type === 'Parse' ? m.sql : undefined))
          : [];
    if (texts.some((t) => t !== undefined && opensBlock(t))) traits.add('transaction-block');
    if (st.kind === 'cancel' && st.cancel === true) traits.add('driver-cancel');
  }
  return traits;
}
