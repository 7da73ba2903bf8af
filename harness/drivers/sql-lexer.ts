// Where PostgreSQL sees placeholders and statement ends in a SQL string: outside string
// literals, quoted identifiers, comments and dollar quotes.
// https://www.postgresql.org/docs/current/sql-syntax-lexical.html
//
// Drivers of other languages spell placeholders their own way (JDBC `?`, psycopg `%s`), and
// some run several statements only through their simple-query API; scenarios are written with
// PostgreSQL's `$n` and plain statement lists, so the adapters translate with this.

export interface Segment {
  /** 'code' is SQL the server tokenises; 'other' is a literal, quoted identifier or comment. */
  readonly kind: 'code' | 'other';
  readonly text: string;
}

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let code = '';
  const flush = () => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  const other = (text: string) => {
    flush();
    out.push({ kind: 'other', text });
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    const prev = i > 0 ? sql[i - 1] : '';
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      other(sql.slice(i, stop));
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 0;
      let j = i;
      while (j < sql.length) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth++;
          j += 2;
          continue;
        }
        if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--;
          j += 2;
          if (depth === 0) break;
          continue;
        }
        j++;
      }
      other(sql.slice(i, j));
      i = j;
      continue;
    }
    if (c === "'") {
      // E'...' takes backslash escapes; '' is a quote in both forms.
      const escapes = /[eE]/.test(prev) && !IDENT_CHAR.test(i > 1 ? sql[i - 2] : '');
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === '\\') {
          j += 2;
          continue;
        }
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") {
            j += 2;
            continue;
          }
          j++;
          break;
        }
        j++;
      }
      other(sql.slice(i, j));
      i = j;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            j += 2;
            continue;
          }
          j++;
          break;
        }
        j++;
      }
      other(sql.slice(i, j));
      i = j;
      continue;
    }
    if (c === '$' && !IDENT_CHAR.test(prev)) {
      // $tag$ ... $tag$ (a tag never starts with a digit: $1 is a parameter).
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        const stop = end < 0 ? sql.length : end + m[0].length;
        other(sql.slice(i, stop));
        i = stop;
        continue;
      }
    }
    code += c;
    i++;
  }
  flush();
  return out;
}

/** How many non-empty statements the string holds. */
export function statementCount(sql: string): number {
  let count = 0;
  let current = '';
  const close = () => {
    if (current.trim()) count++;
    current = '';
  };
  for (const s of segments(sql)) {
    if (s.kind === 'other') {
      if (!/^(--|\/\*)/.test(s.text)) current += 'x';
      continue;
    }
    for (const ch of s.text) {
      if (ch === ';') close();
      else current += ch;
    }
  }
  close();
  return count;
}

const PARAM = /(?<![A-Za-z0-9_$\u0080-\uffff])\$(\d+)/g;

/** `$n` to JDBC's `?`, with the parameter list in order of appearance; a literal `?` is doubled. */
export function toJdbc(sql: string, params: readonly (string | null)[]): { sql: string; params: (string | null)[] } {
  const ordered: (string | null)[] = [];
  const text = segments(sql)
    .map((s) =>
      s.kind === 'other'
        ? s.text
        : s.text.replace(/\?/g, '??').replace(PARAM, (_, n: string) => {
            ordered.push(paramAt(params, Number(n)));
            return '?';
          }),
    )
    .join('');
  return { sql: text, params: ordered };
}

/** `$n` to psycopg's `%(pn)s` (so a reused parameter stays one server parameter); `%` doubled. */
export function toPyformat(sql: string): string {
  return segments(sql)
    .map((s) => (s.kind === 'other' ? s.text.replace(/%/g, '%%') : s.text.replace(/%/g, '%%').replace(PARAM, (_, n: string) => `%(p${n})s`)))
    .join('');
}

/** `$n` to PDO's named `:pn` (a name may appear several times); nothing else changes. */
export function toPdoNamed(sql: string): string {
  return segments(sql)
    .map((s) => (s.kind === 'other' ? s.text : s.text.replace(PARAM, (_, n: string) => `:p${n}`)))
    .join('');
}

/**
 * `$n` replaced by its value as a string literal (NULL for null), for a driver call that takes
 * no parameters (tokio-postgres's simple_query): what an application does by hand there. An
 * E'' literal when the value holds a backslash, so the text is the same whatever
 * standard_conforming_strings says. https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE
 */
export function inlineParams(sql: string, params: readonly (string | null)[]): string {
  const literal = (v: string | null) => {
    if (v === null) return 'NULL';
    const quoted = v.replace(/'/g, "''");
    return v.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
  };
  return segments(sql)
    .map((s) => (s.kind === 'other' ? s.text : s.text.replace(PARAM, (_, n: string) => literal(paramAt(params, Number(n))))))
    .join('');
}

function paramAt(params: readonly (string | null)[], n: number): string | null {
  if (n < 1 || n > params.length) throw new Error(`the SQL names $${n} but only ${params.length} parameter(s) were given`);
  return params[n - 1];
}
