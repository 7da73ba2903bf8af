/**
 * Splits a comma list, keeping the commas inside braces: a target's settings
 * (`pgbouncer:transaction{a=1,b=2},pgpool`) are one item. Items are trimmed; empty ones go.
 */
export function splitList(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}
