import { OBSERVER, type Scenario } from './model.ts';

/**
 * Facts about a scenario read from its data, so a profile can state a rule once ("statement
 * pooling refuses transaction blocks") instead of listing every scenario that meets it.
 */
export const TRAITS = {
  'transaction-block': 'a session opens a transaction (BEGIN / START TRANSACTION) that stays open after the statement ends',
} as const;
export type Trait = keyof typeof TRAITS;

// A BEGIN whose query string does not also end the transaction (BEGIN; ...; COMMIT runs as one).
const OPENS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const CLOSES = /\b(COMMIT|ROLLBACK|END|ABORT)\b/i;
const opensBlock = (sql: string) => OPENS.test(sql) && !CLOSES.test(sql.replace(OPENS, ''));

export function scenarioTraits(s: Scenario): Set<Trait> {
  const traits = new Set<Trait>();
  for (const st of s.steps) {
    if (st.session === OBSERVER) continue;
    const texts = [st.sql, ...(st.messages ?? []).map((m) => (m.type === 'Query' || m.type === 'Parse' ? m.sql : undefined))];
    if (texts.some((t) => t !== undefined && opensBlock(t))) traits.add('transaction-block');
  }
  return traits;
}
