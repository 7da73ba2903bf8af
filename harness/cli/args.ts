// The command line and poolcheck.config.json, read through the option table (options.ts):
// node:util's parseArgs does the splitting (repeated flags accumulate, `--` ends options), this
// file the checking, so every mistake is one line naming the option and the fix.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { splitList } from '../kernel/lists.ts';
import { closest } from '../kernel/schema.ts';
import { UsageError } from '../kernel/errors.ts';
import { COMMANDS, defaultValue, OPTION_NAMES, OPTIONS, type Command, type OptionName, type OptionSpec, type OptionValue } from './options.ts';

export type Value = string | readonly string[] | number | boolean;

/** Option values after checking: the command line over the config file, over the option table's defaults. */
export class Options {
  constructor(
    private readonly values: ReadonlyMap<OptionName, Value>,
    private readonly onCommandLine: ReadonlySet<OptionName>,
    private readonly command?: Command,
  ) {}

  /** Given on the command line or in the config file. */
  has(name: OptionName): boolean {
    return this.values.has(name);
  }
  /** Given on the command line. */
  given(name: OptionName): boolean {
    return this.onCommandLine.has(name);
  }
  givenNames(): OptionName[] {
    return [...this.onCommandLine];
  }
  /** The value, typed by the table: what was given, else the table's default (undefined where it has none). */
  get<N extends OptionName>(name: N): OptionValue<N> {
    return this.values.has(name) ? (this.values.get(name) as OptionValue<N>) : defaultValue(name, this.command);
  }
  /** A copy with `values` from a config file under the command line's. */
  withConfig(values: ReadonlyMap<OptionName, Value>): Options {
    return new Options(new Map([...values, ...this.values]), this.onCommandLine, this.command);
  }
}

export interface CommandLine {
  readonly command: Command | undefined;
  readonly positionals: readonly string[];
  readonly options: Options;
}

/** The one-letter spellings: -h, as nearly every command-line tool takes it. */
const SHORT: Partial<Record<OptionName, string>> = { help: 'h' };

const suggest = (word: string, known: readonly string[]): string => {
  const near = closest(word, known);
  return near ? `; did you mean --${near}?` : '';
};

export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        OPTION_NAMES.map((n) => [
          n,
          { type: OPTIONS[n].value.kind === 'flag' ? 'boolean' : 'string', multiple: true, ...(SHORT[n] ? { short: SHORT[n] } : {}) },
        ]),
      ),
    });
  } catch (err) {
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec((err as Error).message);
    if (unknown) throw new UsageError(`unknown option ${unknown[1]}${unknown[2]}${suggest(unknown[2], OPTION_NAMES)} (poolcheck --help lists them)`);
    const missing = /Option '--([\w-]+)[^']*' argument (missing|is ambiguous)/.exec((err as Error).message);
    if (missing)
      throw new UsageError(
        `--${missing[1]} needs a value${missing[2] === 'is ambiguous' ? ` (a value starting with "-" is written --${missing[1]}=VALUE)` : ''}`,
      );
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (poolcheck --help)`);
  }
  const [first, ...positionals] = parsed.positionals;
  const command = (COMMANDS as readonly string[]).includes(first ?? '') ? (first as Command) : undefined;
  const values = new Map<OptionName, Value>();
  for (const [name, raw] of Object.entries(parsed.values) as Array<[OptionName, Array<string | boolean>]>) {
    const spec = OPTIONS[name];
    if (command && !spec.commands.includes(command))
      throw new UsageError(
        `--${name} is not an option of poolcheck ${command} (it belongs to ${spec.commands.map((c) => `poolcheck ${c}`).join(', ')})`,
      );
    if (raw.length > 1 && !spec.repeatable && spec.value.kind !== 'flag')
      throw new UsageError(`--${name} is given ${raw.length} times; give it once`);
    values.set(name, readValue(`--${name}`, spec, raw, process.cwd()));
  }
  return {
    command,
    positionals: first !== undefined && !command ? [first, ...positionals] : positionals,
    options: new Options(values, new Set(values.keys()), command),
  };
}

/** Checks and converts one option's value (several for a repeatable option); `base` resolves paths. */
export function readValue(where: string, spec: OptionSpec, raw: readonly unknown[], base: string): Value {
  const v = spec.value;
  if (v.kind === 'flag') {
    if (raw.some((x) => typeof x !== 'boolean')) throw new UsageError(`${where} is true or false`);
    return raw.at(-1) as boolean;
  }
  if (v.kind === 'list' || v.kind === 'paths') {
    const items = raw
      .flatMap((x) => {
        if (typeof x === 'string') return splitList(x);
        if (Array.isArray(x) && x.every((y) => typeof y === 'string')) return x;
        throw new UsageError(`${where} takes a comma list (or, in the config file, an array of strings), not ${JSON.stringify(x)}`);
      })
      .map((s) => s.trim())
      .filter(Boolean);
    if (!items.length) throw new UsageError(`${where} names nothing: give at least one value`);
    return v.kind === 'paths' ? items.map((x) => path.resolve(base, x)) : items;
  }
  const x = raw.at(-1);
  if (v.kind === 'enum') {
    if (typeof x === 'string' && v.values.includes(x)) return x;
    const near = typeof x === 'string' ? closest(x, v.values) : undefined;
    throw new UsageError(`${where} is one of ${v.values.join(', ')}, not ${JSON.stringify(x)}${near ? `; did you mean ${near}?` : ''}`);
  }
  if (v.kind === 'int') {
    const n = typeof x === 'number' ? x : typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : NaN;
    if (!Number.isInteger(n) || n < v.min || n > v.max)
      throw new UsageError(`${where} takes a whole number from ${v.min} to ${v.max}, not ${JSON.stringify(x)}`);
    return n;
  }
  if (typeof x !== 'string' || !x.trim()) throw new UsageError(`${where} takes ${spec.arg ?? 'a value'}, not ${JSON.stringify(x)}`);
  return v.kind === 'path' ? path.resolve(base, x) : x;
}
