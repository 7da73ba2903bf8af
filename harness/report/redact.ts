/** Replaces every secret (passwords) in text bound for a file or a terminal. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const live = secrets.filter((s) => s.length >= 4);
  return (text) => live.reduce((t, s) => t.split(s).join('<redacted>'), text);
}
