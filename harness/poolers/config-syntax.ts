// What a pooler's config file can hold as one value, so that a value (a target's setting, a
// path, a password) stays the value it is meant to be and never ends its line or its quotes:
// a line break in `server_reset_query` would otherwise write any line into pgbouncer.ini.
// Each syntax says what its parser does with the characters it gives a meaning to.

export interface ConfigSyntax {
  /** How the value is written, for messages: "the rest of its line in pgbouncer.ini". */
  readonly describe: string;
  /** Why `value` cannot be written this way and read back unchanged, or undefined. */
  problem(value: string): string | undefined;
}

// C0 controls and DEL end a line or a C string in some parser, or hide what a file holds.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const controlProblem = (value: string): string | undefined => {
  const c = CONTROL.exec(value)?.[0];
  return c === undefined ? undefined : `it holds the control character ${JSON.stringify(c)} (a line break ends a config line)`;
};

/**
 * pgbouncer.ini: `key = value`, the value being the rest of the line with the blanks around it
 * dropped; no quoting and no escapes (libusual's parse_ini_file, lib/usual/cfparser.c in pgbouncer's tree).
 */
export const INI_LINE: ConfigSyntax = {
  describe: 'the rest of its line in an ini file',
  problem: (v) => controlProblem(v) ?? (v !== v.trim() ? 'it starts or ends with a blank, which the ini parser drops' : undefined),
};

/**
 * A field of a file of one entry a line: pgbouncer's auth_file ("user" "password", a quote inside
 * doubled, src/loader.c copy_quoted), pgpool's pool_passwd (user:TEXTpassword, up to the line's end).
 */
export const LINE_FIELD: ConfigSyntax = {
  describe: 'a field of a one-entry-a-line file',
  problem: controlProblem,
};

/**
 * pgpool.conf: a single-quoted string. Its lexer takes `\x` as an escape that keeps the quote
 * from ending the string, and its value is the text between the quotes as written: no `''`
 * and no backslash escape comes back as a quote (src/config/pool_config_l.l, STRING and
 * extract_string), so neither a quote nor a backslash can be part of a value.
 */
export const PGPOOL_STRING: ConfigSyntax = {
  describe: 'a single-quoted string in pgpool.conf',
  problem: (v) => controlProblem(v) ?? (/['\\]/.test(v) ? "pgpool.conf cannot quote ' or \\ inside a string" : undefined),
};

/**
 * odyssey.conf: a double-quoted string. Its parser skips the character after a backslash but
 * keeps both in the value (sources/include/parser.h, od_parser_next): a quote or a backslash cannot be
 * written so that it reads back as itself.
 */
export const ODYSSEY_STRING: ConfigSyntax = {
  describe: 'a double-quoted string in odyssey.conf',
  problem: (v) => controlProblem(v) ?? (/["\\]/.test(v) ? 'odyssey.conf cannot quote " or \\ inside a string' : undefined),
};

/** odyssey.conf: a bare keyword (yes, no) or whole number, as its options take them. */
export const ODYSSEY_WORD: ConfigSyntax = {
  describe: 'a bare keyword or number in odyssey.conf',
  problem: (v) =>
    /^(?:[A-Za-z][A-Za-z0-9_]*|-?\d+)$/.test(v) ? undefined : 'an odyssey.conf option value here is a word (letters, digits, _) or a whole number',
};

/**
 * `value`, once it is sure to read back unchanged; a config poolcheck renders with a value it
 * cannot write (a path holding a quote, say) is refused before the server would read it. The
 * message names `what`, never the value: it may be a password.
 */
export function configValue(syntax: ConfigSyntax, what: string, value: string): string {
  const problem = syntax.problem(value);
  if (problem) throw new Error(`cannot write ${what} as ${syntax.describe}: ${problem}`);
  return value;
}
