// Schemas for the data users write by hand (case files, profile files): every unknown key,
// wrong type or bad value is a problem with its path, and a close known key is suggested.
// Data that came from YAML gets each problem's file:line:col (yaml-source.ts).

export type Schema =
  | { readonly kind: 'string'; readonly oneOf?: readonly string[]; check?(v: string): string | undefined }
  | { readonly kind: 'number'; readonly integer?: true; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'list'; readonly of: Schema; readonly min?: number }
  /** Fixed keys; `rest` allows any other key whose value fits it (a map such as `sessions`). */
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Field>>; readonly rest?: Schema; check?(v: Record<string, unknown>): string | undefined }
  | { readonly kind: 'either'; readonly of: readonly Schema[]; readonly describe: string }
  | { readonly kind: 'any' };

export interface Field {
  readonly schema: Schema;
  readonly required?: true;
}

export type Path = ReadonlyArray<string | number>;

export interface Problem {
  readonly path: Path;
  readonly message: string;
  /** The problem is the key at `path` itself (unknown key), not its value. */
  readonly atKey?: true;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known word closest to `word`, when it is close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) { best = k; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

export const didYouMean = (word: string, known: readonly string[]): string => {
  const c = closest(word, known);
  return c ? `; did you mean "${c}"?` : '';
};

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`);

/** What a schema accepts, in words, for messages. */
export function describe(s: Schema): string {
  switch (s.kind) {
    case 'string': return s.oneOf ? `one of ${s.oneOf.map((x) => JSON.stringify(x)).join(', ')}` : 'a string';
    case 'number': return s.integer ? 'a whole number' : 'a number';
    case 'boolean': return 'true or false';
    case 'literal': return JSON.stringify(s.value);
    case 'list': return `a list of ${describe(s.of)}`;
    case 'object': return 'a mapping';
    case 'either': return s.describe;
    case 'any': return 'anything';
  }
}

/** Every problem of `value` against `schema`, each with its path. */
export function validate(value: unknown, schema: Schema, path: Path = []): Problem[] {
  const bad = (message: string): Problem[] => [{ path, message }];
  switch (schema.kind) {
    case 'any': return [];
    case 'string': {
      if (typeof value !== 'string') return bad(`expected ${describe(schema)}, got ${typeOf(value)}`);
      if (schema.oneOf && !schema.oneOf.includes(value)) return bad(`"${value}" is not ${describe(schema)}${didYouMean(value, schema.oneOf)}`);
      const problem = schema.check?.(value);
      return problem ? bad(problem) : [];
    }
    case 'number': {
      if (typeof value !== 'number' || (schema.integer && !Number.isInteger(value))) return bad(`expected ${describe(schema)}, got ${typeOf(value)}`);
      if (schema.min !== undefined && value < schema.min) return bad(`expected at least ${schema.min}, got ${value}`);
      if (schema.max !== undefined && value > schema.max) return bad(`expected at most ${schema.max}, got ${value}`);
      return [];
    }
    case 'boolean': return typeof value === 'boolean' ? [] : bad(`expected true or false, got ${typeOf(value)}`);
    case 'literal': return value === schema.value ? [] : bad(`expected ${JSON.stringify(schema.value)}, got ${typeOf(value)}`);
    case 'list': {
      if (!Array.isArray(value)) return bad(`expected ${describe(schema)}, got ${typeOf(value)}`);
      if (schema.min !== undefined && value.length < schema.min) return bad(`expected at least ${schema.min} item(s)`);
      return value.flatMap((v, i) => validate(v, schema.of, [...path, i]));
    }
    case 'either': {
      if (schema.of.some((s) => !validate(value, s, path).length)) return [];
      // The one alternative of the same shape says best what is wrong.
      const sameShape = schema.of.find((s) => (s.kind === 'object') === (typeof value === 'object' && value !== null && !Array.isArray(value)) && (s.kind === 'list') === Array.isArray(value) && s.kind !== 'literal');
      return sameShape && typeof value === 'object' && value !== null ? validate(value, sameShape, path) : bad(`expected ${schema.describe}, got ${typeOf(value)}`);
    }
    case 'object': return validateObject(value, schema, path);
  }
}

function validateObject(value: unknown, schema: Extract<Schema, { kind: 'object' }>, path: Path): Problem[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [{ path, message: `expected a mapping, got ${typeOf(value)}` }];
  const record = value as Record<string, unknown>;
  const known = Object.keys(schema.fields);
  const problems: Problem[] = [];
  for (const [key, v] of Object.entries(record)) {
    const field = schema.fields[key];
    if (field) problems.push(...validate(v, field.schema, [...path, key]));
    else if (schema.rest) problems.push(...validate(v, schema.rest, [...path, key]));
    else problems.push({ path: [...path, key], atKey: true, message: `unknown key "${key}"${didYouMean(key, known)}; known: ${known.join(', ')}` });
  }
  for (const [key, field] of Object.entries(schema.fields)) {
    if (field.required && record[key] === undefined) problems.push({ path, message: `"${key}" is required` });
  }
  const problem = problems.length ? undefined : schema.check?.(record);
  return problem ? [...problems, { path, message: problem }] : problems;
}
