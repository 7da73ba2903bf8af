// Text from runs printed on a terminal (a server's message, a scenario id from a case file): an
// escape sequence in it could move the cursor, retitle the window or hide the lines before it,
// and a line break would forge a line of poolcheck's own. Each control character is shown as
// its escape instead.

// C0 and C1 controls and DEL, line breaks among them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export const terminalText = (s: string): string =>
  s.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
