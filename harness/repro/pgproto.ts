// A scenario's sessions as data files for pgpool-II's pgproto (Debian's pgpool2 package ships it
// as /usr/sbin/pgproto), the form pgpool-II's own regression tests and many pooler bug reports
// use: one message a line, its type letter in single quotes, then its fields separated by tabs;
// 'Y' reads until ReadyForQuery, 'y' reads until nothing has come for a second; '#' starts a
// comment. Format: pgpool-II's doc/src/sgml/ref/pgproto.sgml and src/tools/pgproto/.
//
// pgproto drives one connection and sends what the file says, nothing else: each session gets a
// file of its own holding what poolcheck's raw driver sends for its steps, and comment lines
// say where another session's step comes between. What pgproto cannot send (a CancelRequest,
// a malformed frame, binary values) is a comment saying so.
import type { Value } from '../wire/bytes.ts';
import { isBytes } from '../wire/bytes.ts';
import { renderFrontend, valueFormats, type FrontendMessage } from '../wire/messages.ts';
import { OBSERVER, type Scenario, type Step, type StepOf } from '../scenario/model.ts';
import { kindOf } from '../scenario/step-kinds.ts';
import { Templates } from '../scenario/templates.ts';

/** Object names ({{seq}}) become `repro_seq` in the files: pgproto has no templates. */
export const PGPROTO_NAME_PREFIX = 'repro';

export interface PgprotoInput {
  readonly scenario: Scenario;
  /** Comment lines on top of every file (what it reproduces, how to run it). */
  readonly header: readonly string[];
  /** Function oids by signature, as the run resolved them (a FunctionCall may name `lo_creat(integer)`). */
  readonly functionOids: ReadonlyMap<string, number>;
}

/**
 * pgproto reads a line into a buffer of 8192 bytes (a line continued with a backslash grows it);
 * a longer line is cut, and the rest read as a line of its own.
 */
const MAX_LINE = 8000;

/**
 * A string field: in double quotes, where a backslash makes the next character literal (so a
 * quote, a backslash, a tab or a line break can be written; a line ending in a backslash goes
 * on on the next line). A field ends at a tab or the end of the line.
 */
export const pgprotoString = (s: string): string => `"${s.replace(/[\\"\t\n\r]/g, (c) => `\\${c}`)}"`;

/** One message line: the type letter in single quotes, then the fields, tab-separated. */
const line = (kind: string, ...fields: ReadonlyArray<string | number>): string => [`'${kind}'`, ...fields.map(String)].join('\t');

/** A comment line; one ending in a backslash would take the next line into it. */
const comment = (text: string): string[] => text.split('\n').map((l) => `# ${l}`.trimEnd().replace(/\\$/, '\\ '));

/** A message pgproto cannot send as it was sent, and why. */
class Unsendable extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

const FORMAT_CODE = { text: 0, binary: 1 } as const;

/**
 * A value as pgproto writes it: its length in bytes and the text; -1 for NULL. pgproto sends a
 * binary-format value as the 4-byte integer its text spells (atoi), so only a 4-byte binary
 * value can be written, as that integer.
 */
function valueFields(v: Value, binary: boolean): Array<string | number> {
  if (v === null) return [-1];
  if (isBytes(v) || binary) {
    const hex = isBytes(v) ? v.hex.replace(/\s+/g, '') : Buffer.from(v).toString('hex');
    if (!binary || hex.length !== 8) throw new Unsendable('pgproto sends a binary value only as a 4-byte integer, and a text value only as text');
    return [4, pgprotoString(String(Buffer.from(hex, 'hex').readInt32BE()))];
  }
  const length = Buffer.byteLength(v);
  // An empty value has its length (0) and no text.
  return length ? [length, pgprotoString(v)] : [0];
}

/**
 * Format codes and values. Where every value is text and the scenario named no formats, no codes
 * are written (all text, as the protocol reads none): pgproto before 4.5 mishandles codes.
 */
function valuesFields(values: readonly Value[], given: readonly ('text' | 'binary')[] | undefined): Array<string | number> {
  const formats = valueFormats(values, given);
  const codes = formats.every((f) => f === 'text') && !given ? [] : values.map((_, i) => (formats.length === 1 ? formats[0] : formats[i]));
  const fields = values.flatMap((v, i) => valueFields(v, (codes[i] ?? 'text') === 'binary'));
  return [codes.length, ...codes.map((c) => FORMAT_CODE[c]), values.length, ...fields];
}

/** The line of one message, as pgproto's reader takes its fields. */
function messageLine(m: FrontendMessage, oids: ReadonlyMap<string, number>): string {
  switch (m.type) {
    case 'Query':
      return line('Q', pgprotoString(m.sql));
    case 'Parse':
      return line('P', pgprotoString(m.name ?? ''), pgprotoString(m.sql), m.types?.length ?? 0, ...(m.types ?? []));
    case 'Bind': {
      // The result formats as one code each (pgproto before 4.5 sends garbage for a single one); none for the default, all text.
      const results = m.resultFormats ?? [];
      return line(
        'B',
        pgprotoString(m.portal ?? ''),
        pgprotoString(m.statement ?? ''),
        ...valuesFields(m.params ?? [], m.paramFormats),
        results.length,
        ...results.map((f) => FORMAT_CODE[f]),
      );
    }
    case 'Describe':
      return line('D', `'${m.kind}'`, pgprotoString(m.name ?? ''));
    case 'Execute':
      return line('E', pgprotoString(m.portal ?? ''), m.maxRows ?? 0);
    case 'Close':
      return line('C', `'${m.kind}'`, pgprotoString(m.name ?? ''));
    case 'Flush':
      return line('H');
    case 'Sync':
      return line('S');
    case 'Terminate':
      return line('X');
    case 'CopyData':
      if (isBytes(m.data)) throw new Unsendable('pgproto sends CopyData as text only');
      return line('d', pgprotoString(m.data));
    case 'CopyDone':
      return line('c');
    case 'CopyFail':
      return line('f', pgprotoString(m.message));
    case 'FunctionCall': {
      const oid = typeof m.function === 'number' ? m.function : /^\d+$/.test(m.function) ? Number(m.function) : oids.get(m.function);
      if (oid === undefined)
        throw new Unsendable(`the oid of ${m.function} is not known: look it up with SELECT '${m.function}'::regprocedure::oid and write it in`);
      if ((m.args ?? []).some(isBytes)) throw new Unsendable('pgproto sends function arguments as text only');
      return line('F', oid, ...valuesFields(m.args ?? [], m.argFormats), FORMAT_CODE[m.resultFormat ?? 'text']);
    }
    case 'RawMessage':
    case 'RawBytes':
      throw new Unsendable('pgproto sends well-formed messages of the types it knows only');
  }
}

/**
 * A step's messages as lines; where pgproto cannot send one of them (or read its line back whole),
 * every message of the step as a comment, with why: half a message list is another conversation.
 */
function messagesLines(
  ms: readonly FrontendMessage[],
  oids: ReadonlyMap<string, number>,
): { readonly lines: readonly string[]; readonly sent: boolean } {
  try {
    const lines = ms.map((m) => {
      const text = messageLine(m, oids);
      if (text.split('\n').some((l) => Buffer.byteLength(l) > MAX_LINE))
        throw new Unsendable(`${m.type} is longer than the ${MAX_LINE} bytes a line of a pgproto data file can hold`);
      return text;
    });
    return { lines: lines.flatMap((l) => l.split('\n')), sent: true };
  } catch (e) {
    if (!(e instanceof Unsendable)) throw e;
    return { lines: [...comment(`not sent: ${e.why}; the step sends:`), ...ms.flatMap((m) => comment(`  ${renderFrontend(m)}`))], sent: false };
  }
}

/** Templates for the files: {{name}} as repro_name; a saved value stays {{$v}}, which a comment asks to fill in. */
class KeepSaved extends Map<string, string> {
  override get(name: string): string {
    return `{{$${name}}}`;
  }
}

/** What a session does on one step: the messages it sends and what it waits for. */
interface Turn {
  readonly send: readonly FrontendMessage[];
  /** 'Y' lines (one per ReadyForQuery owed), 'y' (read until quiet), or none. */
  readonly wait: readonly string[];
  /** A note instead of, or beside, the messages. */
  readonly note?: string;
  /** The session's connection ends here. */
  readonly ends?: true;
}

/** How many ReadyForQuery PostgreSQL sends for a message list: as the step expects, else one per Sync, Query and FunctionCall. */
function readiesOwed(st: StepOf<'messages'>): number {
  const expected = st.expect?.messages;
  if (expected) return expected.filter((l) => l.startsWith('ReadyForQuery')).length;
  return st.messages.filter((m) => m.type === 'Sync' || m.type === 'Query' || m.type === 'FunctionCall').length;
}

const waitY = (n: number): string[] => Array.from({ length: n }, () => line('Y'));

/** The raw driver's messages for a statement: a simple Query, or the unnamed statement's extended round with parameters. */
function statement(sql: string, params: readonly string[] | undefined, name?: string, prepare = true): FrontendMessage[] {
  if (!params?.length && name === undefined) return [{ type: 'Query', sql }];
  return [
    ...(prepare ? [{ type: 'Parse', sql, ...(name ? { name } : {}) } as const] : []),
    { type: 'Bind', ...(name ? { statement: name } : {}), params: params ?? [] },
    { type: 'Describe', kind: 'P' },
    { type: 'Execute' },
    { type: 'Sync' },
  ];
}

/** What poolcheck's raw driver (drivers/raw.ts) does for `st`; `prepared` tracks the session's named statements. */
function turnOf(st: Step, t: Templates, prepared: Set<string>): Turn {
  switch (st.kind) {
    case 'sql':
      return {
        send: statement(
          t.expand(st.sql),
          st.params?.map((p) => t.expand(p)),
        ),
        wait: waitY(1),
      };
    case 'named': {
      const n = t.expandDeep(st.named);
      const first = !prepared.has(n.name);
      prepared.add(n.name);
      return { send: statement(n.sql, n.params ?? [], n.name, first), wait: waitY(1) };
    }
    case 'messages': {
      const send = t.expandDeep(st.messages);
      if (send.some((m) => m.type === 'Terminate')) return { send, wait: [], ends: true };
      const owed = st.until ? 0 : readiesOwed(st);
      return {
        send,
        wait: owed ? waitY(owed) : [line('y')],
        ...(st.splitWrites ? { note: 'poolcheck cuts these bytes into several writes (splitWrites); pgproto writes each field on its own' } : {}),
      };
    }
    case 'read':
      return { send: [], wait: [st.read === 'ReadyForQuery' ? line('Y') : line('y')] };
    case 'waitNotification':
      return { send: [], wait: [line('y')], note: 'waits for a notification: pgproto prints one that arrives within a second' };
    case 'await':
      return { send: [], wait: [], note: `reads the reply to background step ${st.await}` };
    case 'connect':
      return { send: [], wait: [], note: 'pgproto logs in before it reads its data file' };
    case 'cancel':
      return { send: [], wait: [], note: 'sends a CancelRequest on a connection of its own, which pgproto cannot do' };
    case 'disconnect':
      return st.disconnect === 'terminate'
        ? { send: [{ type: 'Terminate' }], wait: [], ends: true }
        : { send: [], wait: [], ends: true, note: 'drops the socket without Terminate: pgproto does so at the end of its data file' };
    default:
      return { send: [], wait: [], note: `${st.kind}: not something a client sends` };
  }
}

/** Where a saved value is used, the step that saved it, so the reader can write it in. */
function savedNotes(lines: readonly string[], s: Scenario): string[] {
  const names = [...new Set(lines.join('\n').match(/\{\{\$\w+\}\}/g) ?? [])];
  return names.map((ref) => {
    const name = ref.slice(3, -2);
    const at = s.steps.findIndex((st) => st.save === name || st.savePid === name);
    return `${ref} is the value step ${at + 1} (${s.steps[at]?.session}) saved${s.steps[at]?.savePid === name ? ' (its backend pid)' : ''}: write it in before running`;
  });
}

/** One session's file: its steps' messages in order, comments where another session's step comes between. */
function sessionFile(name: string, input: PgprotoInput, t: Templates): string {
  const { scenario: s } = input;
  const own = s.steps.flatMap((st, i) => (st.session === name ? [i] : []));
  const [first, last] = [own[0], own[own.length - 1]];
  const out: string[] = [
    ...input.header.flatMap(comment),
    ...comment(`session ${name}: step${own.length > 1 ? 's' : ''} ${own.map((i) => i + 1).join(', ')} of the scenario's ${s.steps.length}`),
  ];
  if (first > 0) out.push(...comment(`before its first step: ${stepsText(s, t, 0, first)}`));
  const prepared = new Set<string>();
  const pending = new Map<string, readonly string[]>();
  let ended = false;
  s.steps.forEach((st, i) => {
    if (st.session !== name) {
      if (i > first && i < last) out.push(...comment(`meanwhile ${stepText(s, t, i)}`));
      return;
    }
    const turn = turnOf(st, t, prepared);
    out.push('', ...comment(stepText(s, t, i) + (st.background ? ` (in the background as ${st.background}: its reply is read at its await)` : '')));
    if (turn.note) out.push(...comment(turn.note));
    const { lines, sent } = messagesLines(turn.send, input.functionOids);
    out.push(...savedNotes(lines, s).flatMap(comment), ...lines);
    // Nothing sent, nothing to wait for: 'Y' would wait for ever.
    const wait = sent ? turn.wait : [];
    if (st.background) pending.set(st.background, wait);
    else out.push(...(st.kind === 'await' ? (pending.get(st.await) ?? []) : wait));
    ended ||= turn.ends === true;
  });
  if (last < s.steps.length - 1) out.push('', ...comment(`after its last step: ${stepsText(s, t, last + 1, s.steps.length)}`));
  if (!ended) out.push(line('X'));
  return `${out.join('\n')}\n`;
}

const stepText = (s: Scenario, t: Templates, i: number): string => {
  const st = s.steps[i];
  return `step ${i + 1} (${st.session}): ${st.label ?? kindOf(st).describe(st, t)}`;
};

const stepsText = (s: Scenario, t: Templates, from: number, to: number): string => {
  const sessions = [...new Set(s.steps.slice(from, to).map((st) => st.session))];
  return `step${to - from > 1 ? `s ${from + 1}-${to}` : ` ${from + 1}`} on ${sessions.join(', ')}`;
};

/**
 * The observer's file: the setup poolcheck runs on the database before the sessions start, the
 * observer's own steps (simple queries), and the teardown; undefined when there is none of these.
 */
function observerFile(input: PgprotoInput, t: Templates): string | undefined {
  const { scenario: s } = input;
  const steps = s.steps.flatMap((st, i) => (st.session === OBSERVER ? [i] : []));
  if (!s.setup?.length && !s.teardown?.length && !steps.length) return undefined;
  const query = (sql: string) => {
    const { lines, sent } = messagesLines([{ type: 'Query', sql: t.expand(sql) }], input.functionOids);
    return sent ? [...lines, line('Y')] : lines;
  };
  const out = [
    ...input.header.flatMap(comment),
    ...comment("the direct connection to the database (poolcheck's observer): setup, ground truth, teardown"),
  ];
  if (s.setup?.length) out.push('', ...comment('setup: run before the sessions start'), ...s.setup.flatMap(query));
  for (const i of steps) {
    const st = s.steps[i];
    out.push('', ...comment(stepText(s, t, i)));
    if (st.kind === 'sql') out.push(...query(st.sql));
    else if (st.kind === 'waitFor')
      out.push(...comment(`poolcheck runs this until it returns ${JSON.stringify(st.waitFor.rows)}`), ...query(st.waitFor.sql));
    else out.push(...comment('not a query: nothing to send'));
  }
  if (s.teardown?.length) out.push('', ...comment('teardown: run after the sessions end'), ...s.teardown.flatMap(query));
  out.push(line('X'));
  return `${out.join('\n')}\n`;
}

/** Every file, by its name: `SESSION.pgproto` per session, and `observer.pgproto` where the scenario has setup or observer steps. */
export function pgprotoFiles(input: PgprotoInput): Map<string, string> {
  const t = new Templates(PGPROTO_NAME_PREFIX, new KeepSaved());
  const files = new Map<string, string>();
  const sessions = Object.keys(input.scenario.sessions).filter((name) => input.scenario.steps.some((st) => st.session === name));
  for (const name of sessions) files.set(`${name}.pgproto`, sessionFile(name, input, t));
  const observer = observerFile(input, t);
  if (observer) files.set(`${OBSERVER}.pgproto`, observer);
  return files;
}
