// Case files: a reported pooler bug written as YAML (suites/cases/*.yaml), loaded into the same
// model as the TypeScript suites. One scenario per YAML document (separate them with ---).
import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Scenario, ScenarioSpec } from './model.ts';
import { checkScenario } from './validate.ts';

export class CaseFileError extends Error {}

export function loadCaseFile(file: string, source = file): Scenario[] {
  const text = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const out: Scenario[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const err = doc.errors[0];
    if (err) {
      const { line } = lines.linePos(err.pos[0]);
      throw new CaseFileError(`${source}:${line}: ${err.message.split('\n')[0]}`);
    }
    const data = doc.toJS() as ScenarioSpec | null;
    if (!data) continue;
    const startLine = lines.linePos(doc.range[0]).line;
    const checked = checkScenario(data, `${source}:${startLine}`);
    if (!checked.ok) {
      const { problems } = checked;
      // Point at the step's line where we can, so the fix is one jump away.
      const stepLine = (n: number) => {
        const steps = doc.get('steps', true) as { items?: Array<{ range?: [number, number, number] }> } | undefined;
        const r = steps?.items?.[n - 1]?.range;
        return r ? lines.linePos(r[0]).line : startLine;
      };
      const first = problems[0];
      const m = first.match(/^step (\d+):/);
      throw new CaseFileError(`${source}:${m ? stepLine(Number(m[1])) : startLine}: invalid scenario ${data.id ?? ''}: ${problems.join('; ')}`);
    }
    out.push(checked.scenario);
  }
  return out;
}
