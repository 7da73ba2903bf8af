// Schemas for the data users write by hand (case files, profile files): every unknown key,
// wrong type or bad value is a problem with its path, and a close known key is suggested.
// Data that came from YAML gets each problem's file:line:col (yaml-source.ts). normalize()
// then turns what a schema takes in a friendlier form (1 for "1") into the form it stands for.

export type Schema =
  | {
      readonly kind: 'string';
      readonly oneOf?: readonly string[];
      check?(v: string): string | undefined;
      /**
       * Also take a whole number or true/false and stand for the text PostgreSQL prints for it
       * (1 -> "1", true -> "t", false -> "f"): a YAML author writes `rows: [[1]]`. A fraction
       * is refused: YAML keeps 1.50 as 1.5, and PostgreSQL's numeric prints "1.50".
       */
      readonly scalars?: true;
    }
  | { readonly kind: 'number'; readonly integer?: true; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'list'; readonly of: Schema; readonly min?: number; readonly max?: number }
  /** Fixed keys; `rest` allows any other key whose value fits it (a map such as `sessions`). */
  | ObjectSchema
  | { readonly kind: 'either'; readonly of: readonly Schema[]; readonly describe: string }
  /**
   * A mapping of one of several shapes, each its own object schema: picked by the value of
   * `tag` (a protocol message's `type`), or, without a tag, by which variant's name is one of
   * its keys (a step's action: `sql:`, `messages:` ...). `what` names it in messages ("step").
   */
  | { readonly kind: 'variants'; readonly what: string; readonly tag?: string; readonly variants: Readonly<Record<string, ObjectSchema>> }
  | { readonly kind: 'any' };

/** Fixed keys; `rest` allows any other key whose value fits it (a map such as `sessions`). */
export interface ObjectSchema {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, Field>>;
  readonly rest?: Schema;
  check?(v: Record<string, unknown>): string | undefined;
}

export interface Field {
  readonly schema: Schema;
  readonly required?: true;
}

/** A Field for every key of T: a schema written this way does not compile until it covers its model. */
export type FieldsOf<T> = { readonly [F in keyof T]-?: Field };

export type Path = ReadonlyArray<string | number>;

export interface Problem {
  readonly path: Path;
  readonly message: string;
  /** The problem is the key at `path` itself (unknown key), not its value. */
  readonly atKey?: true;
}

/** `results[3].divergence.kind`: where a problem is, in a JSON document. */
export const jsonPath = (path: Path): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

/** Edit distance counting two swapped neighbours as one edit ("Prase" is one from "Parse"), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known word closest to `word`, when it is close enough to be a typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // A suggestion that shares no letter with the word ("a" for "b") is noise, not a typo.
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) && bestDistance < best.length ? best : undefined;
}

export const didYouMean = (word: string, known: readonly string[]): string => {
  const c = closest(word, known);
  return c ? `; did you mean "${c}"?` : '';
};

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;

/** What a schema accepts, in words, for messages. */
export function describe(s: Schema): string {
  switch (s.kind) {
    case 'string':
      return s.oneOf ? `one of ${s.oneOf.map((x) => JSON.stringify(x)).join(', ')}` : 'a string';
    case 'number':
      return s.integer ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'literal':
      return JSON.stringify(s.value);
    case 'list':
      return `a list of ${describe(s.of)}`;
    case 'object':
      return 'a mapping';
    case 'variants':
      return `a ${s.what}`;
    case 'either':
      return s.describe;
    case 'any':
      return 'anything';
  }
}

/** Every problem of `value` against `schema`, each with its path. */
export function validate(value: unknown, schema: Schema, path: Path = []): Problem[] {
  const bad = (message: string): Problem[] => [{ path, message }];
  switch (schema.kind) {
    case 'any':
      return [];
    case 'string': {
      if (schema.scalars && (typeof value === 'boolean' || Number.isSafeInteger(value))) return [];
      if (schema.scalars && typeof value === 'number')
        return bad(`${value} is a number YAML does not keep as written: quote it as PostgreSQL prints it (e.g. "1.50")`);
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
    case 'boolean':
      return typeof value === 'boolean' ? [] : bad(`expected true or false, got ${typeOf(value)}`);
    case 'literal':
      return value === schema.value ? [] : bad(`expected ${JSON.stringify(schema.value)}, got ${typeOf(value)}`);
    case 'list': {
      if (!Array.isArray(value)) return bad(`expected ${describe(schema)}, got ${typeOf(value)}`);
      if (schema.min !== undefined && value.length < schema.min) return bad(`expected at least ${schema.min} item(s)`);
      if (schema.max !== undefined && value.length > schema.max) return bad(`expected at most ${schema.max} item(s)`);
      return value.flatMap((v, i) => validate(v, schema.of, [...path, i]));
    }
    case 'either': {
      if (schema.of.some((s) => !validate(value, s, path).length)) return [];
      // The one alternative of the same shape says best what is wrong; for a scalar, the one
      // scalar alternative that is not a literal (a cell: text, or null) does.
      const open = schema.of.filter((s) => s.kind !== 'literal' && s.kind !== 'object' && s.kind !== 'list' && s.kind !== 'variants');
      if ((typeof value !== 'object' || value === null) && open.length === 1) return validate(value, open[0], path);
      const sameShape = schema.of.find(
        (s) =>
          (s.kind === 'object' || s.kind === 'variants') === isRecord(value) && (s.kind === 'list') === Array.isArray(value) && s.kind !== 'literal',
      );
      return sameShape && typeof value === 'object' && value !== null
        ? validate(value, sameShape, path)
        : bad(`expected ${schema.describe}, got ${typeOf(value)}`);
    }
    case 'object':
      return validateObject(value, schema, path);
    case 'variants':
      return validateVariants(value, schema, path);
  }
}

function validateObject(value: unknown, schema: ObjectSchema, path: Path): Problem[] {
  if (!isRecord(value)) return [{ path, message: `expected a mapping, got ${typeOf(value)}` }];
  const record = value;
  const known = Object.keys(schema.fields);
  const problems: Problem[] = [];
  for (const [key, v] of Object.entries(record)) {
    // A TypeScript scenario writes an absent optional as `key: cond ? x : undefined`; YAML has no undefined.
    if (v === undefined) continue;
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

type VariantsSchema = Extract<Schema, { kind: 'variants' }>;

/** The variant a value is, or the problem that it is none (or several). */
function pickVariant(
  record: Record<string, unknown>,
  schema: VariantsSchema,
  path: Path,
): { readonly name: string } | { readonly problems: Problem[] } {
  const names = Object.keys(schema.variants);
  if (schema.tag) {
    const t = record[schema.tag];
    if (t === undefined) return { problems: [{ path, message: `a ${schema.what} needs "${schema.tag}": one of ${names.join(', ')}` }] };
    if (typeof t === 'string' && names.includes(t)) return { name: t };
    return {
      problems: [
        {
          path: [...path, schema.tag],
          message: `unknown ${schema.what} ${schema.tag} ${JSON.stringify(t)}${typeof t === 'string' ? didYouMean(t, names) : ''}; known: ${names.join(', ')}`,
        },
      ],
    };
  }
  const present = names.filter((n) => record[n] !== undefined);
  if (present.length === 1) return { name: present[0] };
  // None: a misspelt action is an unknown key; say which one was probably meant.
  const known = [...new Set(Object.values(schema.variants).flatMap((v) => Object.keys(v.fields)))];
  const unknown = Object.keys(record)
    .filter((k) => !known.includes(k))
    .map((k): Problem => ({ path: [...path, k], atKey: true, message: `unknown key "${k}"${didYouMean(k, known)}` }));
  return {
    problems: [
      ...unknown,
      { path, message: `a ${schema.what} needs exactly one of ${names.join(', ')}; found ${present.length ? present.join(' and ') : 'none'}` },
    ],
  };
}

function validateVariants(value: unknown, schema: VariantsSchema, path: Path): Problem[] {
  if (!isRecord(value)) return [{ path, message: `expected ${describe(schema)} (a mapping), got ${typeOf(value)}` }];
  const picked = pickVariant(value, schema, path);
  if ('problems' in picked) return picked.problems;
  const own = schema.variants[picked.name];
  // A key another variant has is no typo: say where it belongs.
  return validate(value, own, path).map((p) => {
    const key = p.atKey ? String(p.path.at(-1)) : undefined;
    const owners = key === undefined ? [] : Object.keys(schema.variants).filter((n) => key in schema.variants[n].fields);
    return owners.length
      ? { ...p, message: `"${key}" is not a key of a ${picked.name} ${schema.what} (${owners.join(', ')} ${schema.what}s have it)` }
      : p;
  });
}

/** The text PostgreSQL prints for a whole number or a boolean. */
const pgText = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 't' : 'f') : typeof v === 'number' ? String(v) : v);

/**
 * `value` (which validate() passed) in the form its schema stands for: scalars where text is
 * meant become PostgreSQL's text for them. Anything validate() would refuse is left as it is.
 */
export function normalize(value: unknown, schema: Schema): unknown {
  switch (schema.kind) {
    case 'string':
      return schema.scalars ? pgText(value) : value;
    case 'list':
      return Array.isArray(value) ? value.map((v) => normalize(v, schema.of)) : value;
    case 'either': {
      const fits = schema.of.find((s) => !validate(value, s).length);
      return fits ? normalize(value, fits) : value;
    }
    case 'object': {
      if (!isRecord(value)) return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => {
          const s = schema.fields[k]?.schema ?? schema.rest;
          return [k, s ? normalize(v, s) : v];
        }),
      );
    }
    case 'variants': {
      if (!isRecord(value)) return value;
      const picked = pickVariant(value, schema, []);
      return 'name' in picked ? normalize(value, schema.variants[picked.name]) : value;
    }
    default:
      return value;
  }
}
