// Text from runs (scenario text, server messages, profile reasons, ids from case files) written
// into Markdown (summary.md, feature-map.md, diff.md, GitHub's step summary): it must read as the
// text it is, never as HTML (`<img onerror=...>` in a server message) or as Markdown structure
// (a `|` that splits a table cell, a line break that ends the table, `[x](javascript:...)`).
// CommonMark lets any ASCII punctuation be escaped with a backslash, which reads as the
// character itself on GitHub and stays legible in a terminal:
// https://spec.commonmark.org/0.31.2/#backslash-escapes

/**
 * Characters escaped in text: raw HTML and entities (< > &), tables (|), links and images ([ ]),
 * code spans (`), and the backslash itself. Emphasis (* _) is left alone: it can only change how
 * a word looks, and escaping it would clutter every setting name in a terminal.
 */
const ACTIVE = /[\\`<>&|[\]]/g;

/** Line breaks of any kind: one would end a table row or start a block (a heading, raw HTML). */
const BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/g;

// Other control characters show as nothing or move a terminal's cursor.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text in a paragraph, a list item, a heading or a table cell. */
export const markdownText = (s: string): string =>
  s
    .replace(BREAK, ' ')
    .replace(CONTROL, '')
    .replace(ACTIVE, (c) => `\\${c}`);

/** A code span holding `s` as written: fenced with more backticks than any run inside it. */
export function markdownCode(s: string): string {
  const text = s.replace(BREAK, ' ').replace(CONTROL, '');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space pads a span that starts or ends with a backtick (CommonMark strips one space each side).
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  // A | inside a code span still splits a GitHub table cell unless escaped.
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A link's destination (a relative path in the out folder): percent-encoded, so blanks and parentheses cannot end it. */
export const markdownLinkTarget = (p: string): string => encodeURI(p).replace(/[()[\]<>|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
