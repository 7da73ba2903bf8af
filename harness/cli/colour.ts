// Colour on a terminal: the verdicts that fail a run in red, those --strict fails in yellow. Only
// where the stream is a terminal and NO_COLOR (https://no-color.org) is unset or empty; FORCE_COLOR
// turns it on elsewhere (a CI log that renders escapes).
type Stream = { readonly isTTY?: boolean };

const CODES = { red: 31, yellow: 33, green: 32, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function colourOn(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** `text` in `colour` when `on`, else as it is. */
export const paint = (on: boolean, colour: Colour, text: string): string => (on ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text);
