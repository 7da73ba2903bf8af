/** Long values (a 16 MB query) are shown by their head and length, so transcripts stay readable. */
export function clip(s: string, max = 300): string {
  return s.length <= max ? s : `${s.slice(0, 120)}...(${s.length} chars)`;
}
