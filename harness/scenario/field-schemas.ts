// The schemas a scenario's fields are made of (text, PostgreSQL's values and rows, names,
// numbers): scenario-schema.ts builds the scenario's from these, and each step kind its own
// fields (step-kinds.ts), so a value is checked alike wherever it is written.
import { isSqlState } from '../kernel/errors.ts';
import type { Field, Schema } from '../kernel/schema.ts';
import { hexProblem } from '../wire/bytes.ts';

export const req = (schema: Schema): Field => ({ schema, required: true });
export const opt = (schema: Schema): Field => ({ schema });

export const text: Schema = { kind: 'string' };
export const texts: Schema = { kind: 'list', of: text };
/** Text compared with what PostgreSQL sends: 1 and true stand for "1" and "t" (kernel/schema.ts). */
export const pgText: Schema = { kind: 'string', scalars: true };
export const hex: Schema = { kind: 'string', check: hexProblem };
/** Bytes, as hex: a binary-format value, binary COPY data, a hand-made frame. */
const bytes: Schema = { kind: 'object', fields: { hex: req(hex) } };
export const cell: Schema = {
  kind: 'either',
  of: [pgText, { kind: 'literal', value: null }, bytes],
  describe: 'a value as PostgreSQL prints it, null, or bytes ({ hex: "0005" })',
};
export const textOrBytes: Schema = { kind: 'either', of: [text, bytes], describe: 'text, or bytes ({ hex: "0005" })' };
export const format: Schema = { kind: 'string', oneOf: ['text', 'binary'] };
/** Format codes as Bind and FunctionCall write them: none (all text), one for all, or one each; written as given. */
export const formats: Schema = { kind: 'list', of: format };
const row: Schema = { kind: 'either', of: [{ kind: 'list', of: cell }], describe: 'a row: a list of values (rows: [["1", "x"]] is one row of two)' };
export const rows: Schema = { kind: 'list', of: row };
export const oneOf = (values: readonly string[]): Schema => ({ kind: 'string', oneOf: values });

export const sqlState: Schema = {
  kind: 'string',
  check: (v) => (isSqlState(v) ? undefined : `${JSON.stringify(v)} is not a SQLSTATE (five characters, e.g. 42P05)`),
};
/** A name a step declares or refers to (a saved value, a background step). */
export const name: Schema = {
  kind: 'string',
  check: (v) => (/^\w+$/.test(v) ? undefined : `"${v}" is not a name: letters, digits and _ (it is read back as $${v.replace(/\W/g, '_')})`),
};
export const int = (min: number, max?: number): Schema => ({ kind: 'number', integer: true, min, max });
