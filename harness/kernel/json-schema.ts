// A schema table (schema.ts) as JSON Schema (draft 2020-12), for editors and other tools: the
// shapes, keys, types, enumerations and bounds. What a table checks in code (a SQLSTATE's form, a
// version range, a cross-reference) JSON Schema cannot say: poolcheck's own check stays the
// authority, and its messages name file:line:col.
import type { ObjectSchema, Schema } from './schema.ts';

export type JsonSchema = { readonly [key: string]: unknown };

function objectSchema(s: ObjectSchema, description?: string): JsonSchema {
  const required = Object.entries(s.fields)
    .filter(([, f]) => f.required)
    .map(([k]) => k);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: Object.fromEntries(Object.entries(s.fields).map(([k, f]) => [k, toJsonSchema(f.schema)])),
    ...(required.length ? { required } : {}),
    additionalProperties: s.rest ? toJsonSchema(s.rest) : false,
  };
}

export function toJsonSchema(s: Schema): JsonSchema {
  switch (s.kind) {
    case 'any':
      return {};
    case 'string': {
      const text = s.oneOf ? { type: 'string', enum: [...s.oneOf] } : { type: 'string' };
      // A YAML author's 1 or true stands for PostgreSQL's "1" or "t" (schema.ts `scalars`).
      return s.scalars ? { anyOf: [text, { type: 'integer' }, { type: 'boolean' }] } : text;
    }
    case 'number':
      return {
        type: s.integer ? 'integer' : 'number',
        ...(s.min !== undefined ? { minimum: s.min } : {}),
        ...(s.max !== undefined ? { maximum: s.max } : {}),
      };
    case 'boolean':
      return { type: 'boolean' };
    case 'literal':
      return { const: s.value };
    case 'list':
      return {
        type: 'array',
        items: toJsonSchema(s.of),
        ...(s.min !== undefined ? { minItems: s.min } : {}),
        ...(s.max !== undefined ? { maxItems: s.max } : {}),
      };
    case 'either':
      return { description: s.describe, anyOf: s.of.map(toJsonSchema) };
    case 'object':
      return objectSchema(s);
    case 'variants': {
      // Tagged (a message's type) or keyed (a step's action: the one key that names its kind).
      return {
        description: `a ${s.what}`,
        oneOf: Object.entries(s.variants).map(([name, v]) => {
          const one = objectSchema(v, `${s.what}: ${name}`);
          return s.tag ? one : { ...one, required: [...new Set([...((one.required as string[] | undefined) ?? []), name])] };
        }),
      };
    }
  }
}

/** A whole document's schema: the table's, with the dialect and a title. */
export function jsonSchemaDocument(schema: Schema, title: string, description: string): JsonSchema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title, description, ...toJsonSchema(schema) };
}
