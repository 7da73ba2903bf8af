// Case files: a reported pooler bug written as YAML (suites/cases/*.yaml, or a folder given with
// --cases), loaded into the same model as the TypeScript suites. One scenario per YAML document
// (separate them with ---). A file that does not load is never fatal: each of its documents
// becomes a broken scenario whose problems name file:line:col, and the other files still run.
import { readFileSync } from 'node:fs';
import { parseYaml, problemLines, YamlSyntaxError, type YamlDocument } from '../kernel/yaml-source.ts';
import type { BrokenScenario, Origin, Scenario } from './model.ts';
import { checkScenario } from './validate.ts';

export interface LoadedFile {
  readonly scenarios: readonly Scenario[];
  readonly broken: readonly BrokenScenario[];
  /** Per scenario, its weak checks (weak-checks.ts), one line each naming where: `file:line:col: warning: ...`. */
  readonly warnings: ReadonlyMap<Scenario, readonly string[]>;
}

/** What can be read of a scenario that did not load: its id and category, if they are there. */
export function identity(data: unknown, fallback: string): Pick<BrokenScenario, 'id' | 'category' | 'anonymous'> {
  const d = (data && typeof data === 'object' ? data : {}) as { id?: unknown; category?: unknown };
  const id = typeof d.id === 'string' && d.id.trim() ? d.id : undefined;
  return { id: id ?? fallback, category: typeof d.category === 'string' ? d.category : 'invalid', ...(id ? {} : { anonymous: true as const }) };
}

/** Reads a case file; `source` is how messages name it (a path relative to the working folder). */
export function loadCaseFile(file: string, source: string, origin: Origin): LoadedFile {
  let docs: YamlDocument[];
  try {
    docs = parseYaml(readFileSync(file, 'utf8'), source);
  } catch (e) {
    const problem =
      e instanceof YamlSyntaxError ? e.message : `${source}: cannot read the case file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    return {
      scenarios: [],
      broken: [{ id: source, category: 'invalid', source, problems: [problem], origin, anonymous: true }],
      warnings: new Map(),
    };
  }
  const scenarios: Scenario[] = [];
  const broken: BrokenScenario[] = [];
  const warnings = new Map<Scenario, readonly string[]>();
  const documents = docs.filter((d) => d.data !== null);
  documents.forEach((doc, n) => {
    const where = doc.where([]).replace(/:\d+$/, '');
    const checked = checkScenario(doc.data, where, origin);
    if (checked.ok) {
      scenarios.push(checked.scenario);
      if (checked.warnings.length) warnings.set(checked.scenario, problemLines(doc, checked.warnings, 'warning: '));
    } else {
      broken.push({
        ...identity(doc.data, documents.length > 1 ? `${source}#${n + 1}` : source),
        source: where,
        problems: problemLines(doc, checked.problems),
        origin,
      });
    }
  });
  return { scenarios, broken, warnings };
}
