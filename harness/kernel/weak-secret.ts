// A password short or common enough to be found in text that holds no password: the name of a
// role, a word of a scenario, a setting. Masked wherever it appears, it would mangle the reports;
// so it is masked only where a password can appear (kernel/connection-string-mask.ts, and the
// messages of a server it was sent to), and the run warns at start.

/** Shorter than this, a secret can match a piece of some other text. */
export const STRONG_LENGTH = 12;

/** Why `secret` would collide with ordinary text, in words ("8 characters long"), or undefined. */
export function weakSecretReason(secret: string): string | undefined {
  if (secret.length < STRONG_LENGTH) return `${secret.length} characters long`;
  if (/^[a-z]+$/i.test(secret)) return 'made of letters only (a word, or words)';
  if (/^\d+$/.test(secret)) return 'made of digits only';
  return undefined;
}

/** What to say at start about each weak secret of the run (an empty password is none: nothing to hide). */
export function weakSecretWarnings(secrets: readonly string[]): string[] {
  return secrets.flatMap((s) => {
    const why = s ? weakSecretReason(s) : undefined;
    return why
      ? [
          `the password is ${why}: text like it may be no password at all, so it is masked only where a password can appear (connection strings, password fields, servers' messages), and there text that merely equals it is masked too; one of ${STRONG_LENGTH} or more characters, not only letters or digits, is masked wherever it appears`,
        ]
      : [];
  });
}
