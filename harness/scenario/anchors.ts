// The poolers' own test suites as the measure of the catalogue (suites/anchors/): for each
// anchor suite, every test, whether it is in scope (something a client sees through a pooler
// that PostgreSQL defines), and which scenarios answer it, that is, would fail on the bug that
// test catches. `poolcheck list coverage` counts them; the files say how each call was made.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate, type Field, type Schema } from '../kernel/schema.ts';
import { parseYaml } from '../kernel/yaml-source.ts';
import { problemText } from './validate.ts';

export interface AnchorTest {
  /** Unique in its suite: the test's file below the suite's folder :: its name. */
  readonly id: string;
  readonly what: string;
  readonly scope: 'in' | 'out';
  /** Why it is out of scope. */
  readonly why?: string;
  /** Scenarios that together would fail on every bug the test can catch. */
  readonly answeredBy?: readonly string[];
  /** Scenarios that cover part of it, but would not fail on that bug. */
  readonly partly?: readonly string[];
  /** The item of the catalogue's list of missing behaviours it belongs to, while unanswered. */
  readonly gap?: number;
}

export interface AnchorSuite {
  readonly project: string;
  readonly repository: string;
  readonly folder: string;
  readonly commit: string;
  readonly tests: readonly AnchorTest[];
  /** Where it was read from, for messages. */
  readonly source: string;
}

const text: Schema = { kind: 'string' };
const ids: Schema = { kind: 'list', of: text };
const req = (schema: Schema): Field => ({ schema, required: true });
const opt = (schema: Schema): Field => ({ schema });

const SUITE_SCHEMA: Schema = {
  kind: 'object',
  fields: {
    project: req(text),
    repository: req(text),
    folder: req(text),
    commit: req(text),
    tests: req({
      kind: 'list',
      of: {
        kind: 'object',
        fields: {
          id: req(text),
          what: req(text),
          scope: req({ kind: 'string', oneOf: ['in', 'out'] }),
          why: opt(text),
          answeredBy: opt(ids),
          partly: opt(ids),
          gap: opt({ kind: 'number', integer: true, min: 1 }),
        },
      },
    }),
  },
};

export const ANCHORS_FOLDER = 'anchors';

/** Every anchor suite in `dir` (suites/anchors); each problem names file:line:col. */
export function loadAnchors(dir: string): { readonly suites: AnchorSuite[]; readonly problems: string[] } {
  const suites: AnchorSuite[] = [];
  const problems: string[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const source = path.join(path.basename(path.dirname(dir)), path.basename(dir), f);
    try {
      const [doc] = parseYaml(readFileSync(path.join(dir, f), 'utf8'), source);
      const found = validate(doc.data, SUITE_SCHEMA);
      if (found.length) {
        problems.push(...found.map((p) => `${doc.where(p.path, p.atKey)}: ${problemText(p)}`));
        continue;
      }
      const suite = { ...(doc.data as Omit<AnchorSuite, 'source'>), source };
      const seen = new Set<string>();
      suite.tests.forEach((t, i) => {
        if (seen.has(t.id)) problems.push(`${doc.where(['tests', i, 'id'])}: test ${t.id} is listed twice`);
        seen.add(t.id);
      });
      suites.push(suite);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { suites, problems };
}

export interface Coverage {
  readonly project: string;
  readonly tests: number;
  readonly inScope: number;
  readonly answered: number;
  readonly partly: number;
}

/** Per suite: how many of its in-scope tests some scenario answers, and how many it covers in part only. */
export function coverage(suites: readonly AnchorSuite[]): Coverage[] {
  return suites.map((s) => {
    const inScope = s.tests.filter((t) => t.scope === 'in');
    const answered = inScope.filter((t) => t.answeredBy?.length).length;
    return {
      project: s.project,
      tests: s.tests.length,
      inScope: inScope.length,
      answered,
      partly: inScope.filter((t) => !t.answeredBy?.length && t.partly?.length).length,
    };
  });
}

/** Scenario ids the anchor files name that the catalogue does not have. */
export function unknownScenarios(suites: readonly AnchorSuite[], known: ReadonlySet<string>): string[] {
  return suites.flatMap((s) =>
    s.tests.flatMap((t) =>
      [...(t.answeredBy ?? []), ...(t.partly ?? [])]
        .filter((id) => !known.has(id))
        .map((id) => `${s.source}: ${t.id} names scenario ${id}, which the catalogue does not have`),
    ),
  );
}
