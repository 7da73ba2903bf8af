// A profile written as a data file (--profile my-pooler.yaml): the same schema as the built-in
// profiles (profile.ts), checked strictly, so a pooler poolcheck does not know gets documented
// and regression verdicts instead of unprofiled findings.
import { readFileSync } from 'node:fs';
import { driverIds } from '../drivers/registry.ts';
import { DIVERGENCE_KINDS } from '../kernel/divergence.ts';
import { asUsage, isSqlState } from '../kernel/errors.ts';
import { validate, type Field, type Schema } from '../kernel/schema.ts';
import { TRAITS } from '../kernel/traits.ts';
import { rangeProblem } from '../kernel/versions.ts';
import { parseYaml, problemLines, YamlSyntaxError } from '../kernel/yaml-source.ts';
import type { Profile, ProfileEntry } from './profile.ts';

export class ProfileFileError extends Error {}

const text: Schema = { kind: 'string' };
const range: Schema = { kind: 'string', check: rangeProblem };
const oneOrMany = (s: Schema, describe: string): Schema => ({ kind: 'either', of: [s, { kind: 'list', of: s, min: 1 }], describe });
const regex = (v: string) => {
  try {
    new RegExp(v);
    return undefined;
  } catch (e) {
    return `not a regular expression: ${(e as Error).message}`;
  }
};

const divergence: Schema = {
  kind: 'object',
  fields: {
    kind: { schema: { kind: 'string', oneOf: Object.keys(DIVERGENCE_KINDS) }, required: true },
    sqlstate: {
      schema: { kind: 'string', check: (v) => (isSqlState(v) ? undefined : `${JSON.stringify(v)} is not a SQLSTATE (five characters, e.g. 08P01)`) },
    },
    pattern: { schema: { kind: 'string', check: regex } },
    step: { schema: { kind: 'string', check: regex } },
  },
};

const condition: Schema = {
  kind: 'either',
  of: [text, { kind: 'object', fields: { not: { schema: text, required: true } } }],
  describe: 'a value, or { not: value }',
};

/** Every field of a profile entry, typed against ProfileEntry so neither can grow alone. */
export const ENTRY_FIELDS: { readonly [F in keyof ProfileEntry]-?: Field } = {
  scenarios: { schema: oneOrMany(text, 'a scenario id or glob, or a list of them'), required: true },
  traits: { schema: { kind: 'list', of: { kind: 'string', oneOf: Object.keys(TRAITS) } } },
  defect: { schema: text },
  reason: { schema: text, required: true },
  link: { schema: { kind: 'string', check: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : 'expected a URL (https://...)') }, required: true },
  source: { schema: { kind: 'string', oneOf: ['docs', 'issue', 'observed'] } },
  drivers: { schema: { kind: 'list', of: { kind: 'string', oneOf: driverIds } } },
  exceptDrivers: { schema: { kind: 'list', of: { kind: 'string', oneOf: driverIds } } },
  versions: { schema: range },
  postgres: { schema: range },
  settings: { schema: { kind: 'object', fields: {}, rest: condition } },
  divergence: { schema: oneOrMany(divergence, 'a divergence ({ kind, sqlstate?, pattern? }) or a list of them') },
  optional: { schema: { kind: 'literal', value: true } },
  stopsThePooler: { schema: { kind: 'literal', value: true } },
  evidence: { schema: text },
};

const entry: Schema = { kind: 'object', fields: ENTRY_FIELDS };

const cell: Schema = {
  kind: 'either',
  describe: 'an answer, or a list of { settings?, value }',
  of: [
    text,
    {
      kind: 'list',
      of: {
        kind: 'object',
        fields: { settings: { schema: { kind: 'object', fields: {}, rest: condition } }, value: { schema: text, required: true } },
      },
    },
  ],
};

export const PROFILE_SCHEMA: Schema = {
  kind: 'object',
  fields: {
    pooler: {
      schema: { kind: 'string', check: (v) => (/^[a-z][a-z0-9-]*$/.test(v) ? undefined : 'a pooler id is lower-case letters, digits and dashes') },
      required: true,
    },
    checked: { schema: { kind: 'list', of: text } },
    basis: { schema: text },
    modes: { schema: { kind: 'object', fields: {}, rest: { kind: 'list', of: entry } }, required: true },
    publishedFeatureMaps: {
      schema: {
        kind: 'list',
        of: {
          kind: 'object',
          fields: {
            link: { schema: text, required: true },
            versions: { schema: range },
            modes: { schema: { kind: 'object', fields: {}, rest: { kind: 'object', fields: {}, rest: cell } }, required: true },
          },
        },
      },
    },
  },
};

/** Reads and checks a profile file; every problem is `file:line:col: message`. */
export function loadProfileFile(file: string): Profile {
  let docs;
  try {
    docs = parseYaml(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (e instanceof YamlSyntaxError) throw new ProfileFileError(e.message);
    throw new ProfileFileError(`${file}: cannot read the profile: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const doc = docs.find((d) => d.data !== null);
  if (!doc || docs.filter((d) => d.data !== null).length > 1) throw new ProfileFileError(`${file}: expected one profile (one YAML document)`);
  const problems = problemLines(doc, validate(doc.data, PROFILE_SCHEMA));
  if (problems.length)
    throw new ProfileFileError(
      `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 4).join('; ')})` : ''}`,
    );
  const data = doc.data as Profile;
  return { ...data, checked: data.checked ?? [] };
}

/** The files --profile names, each read and checked: a problem in one is the user's to fix (a usage error). */
export const loadProfileFiles = (files: readonly string[]): Profile[] => files.map((file) => asUsage(() => loadProfileFile(file)));
