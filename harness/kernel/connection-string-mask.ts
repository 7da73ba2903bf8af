// Passwords written where a connection string carries them, masked whatever the password is:
// a user may hand poolcheck a libpq key/value string where a URL is expected, a driver may put
// its connection string in an error, a helper process may echo its JSON request. Every form a
// connection string takes is covered (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING):
//   postgres://user:PW@host/db            URL user info, percent-encoded or not, even with / or @ in it
//   postgres://host/db?password=PW        URL parameters, names percent-encoded too (pass%77ord)
//   host=h password=PW  password = 'P W\'' key/value, quoted values with \' and \\ escapes, unquoted with \ escapes
//   dsn=host%3Dh%20password%3DPW          a key/value string percent-encoded inside another
//   {"password": "PW"}  PGPASSWORD=PW     password fields of JSON, Python reprs and environments

export const MASK = '<redacted>';

/** A key that names a password: libpq's password and sslpassword, an environment's PGPASSWORD, JDBC's password. */
const PASSWORD_KEY = /^(?:\w*password|pass|pwd)$/i;

const decoded = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

interface Rule {
  readonly pattern: RegExp;
  readonly mask: (match: string, ...groups: string[]) => string;
}

const RULES: readonly Rule[] = [
  // URL user info: everything between the first ':' after the scheme's // and the last '@' of the
  // same word (a password may hold an unencoded '/' or '@'). The user stays: it is no secret.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*):[^\s"]*@/gi, mask: (_m, head) => `${head}:${MASK}@` },
  // URL parameters and percent-encoded key/value strings: `?password=`, `&pass%77ord=`, `password%3D`.
  {
    pattern: /([?&;]|\b)((?:%(?!3D|20|26|3B)[0-9a-f]{2}|[\w.-])+)(=|%3D)((?:(?!%20|%26|%3B)[^&#\s;])*)/gi,
    mask: (m, lead, key, eq) => (PASSWORD_KEY.test(decoded(key)) && (lead !== '' || eq.toUpperCase() === '%3D') ? `${lead}${key}${eq}${MASK}` : m),
  },
  // key/value: `password=PW`, `password = 'P W\'x'` (libpq: blanks around =, \ escapes in both
  // forms); a URL's parameters are the rule above's. Only a key ending in "password": prose
  // says "pass = behaves like PostgreSQL".
  {
    pattern: /(?<![?&;])\b(\w*password)(\s*=\s*)('(?:[^'\\]|\\.)*(?:'|$)|"(?:[^"\\]|\\.)*(?:"|$)|(?:[^\s\\'"]|\\.)(?:[^\s\\]|\\.)*)/gim,
    mask: (_m, key, eq) => `${key}${eq}${MASK}`,
  },
  // Fields of JSON, JavaScript and Python objects: "password": "PW", 'password': 'PW'.
  {
    pattern: /(["'])(\w*password)\1(\s*:\s*)(["'])(?:(?!\4)[^\\]|\\.)*\4/gi,
    mask: (_m, q, key, colon, vq) => `${q}${key}${q}${colon}${vq}${MASK}${vq}`,
  },
  // A password message in a transcript, however a driver spelled it.
  { pattern: /PasswordMessage\((?!<)(?:"(?:[^"\\]|\\.)*"|[^)\n]*)\)/g, mask: () => `PasswordMessage("${MASK}")` },
];

/** `text` with every password a connection string or password field in it carries replaced by <redacted>. */
export function maskConnectionStrings(text: string): string {
  return RULES.reduce((t, r) => t.replace(r.pattern, r.mask), text);
}
