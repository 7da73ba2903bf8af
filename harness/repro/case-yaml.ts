// A scenario as a YAML case file (docs/cases.md), the form a person writes one in: a comment on
// top, the scenario's keys in the model's order, sessions and short steps on one line each.
// The case-file loader reads it back into the same scenario (test/unit/repro-writers.test.ts).
import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { ScenarioSpec } from '../scenario/model.ts';

/** A collection longer than this (as JSON) reads better over several lines than on one. */
const ONE_LINE = 120;

/** A collection that fits on a line is written on one (`{ session: a, sql: ... }`); a longer one by its parts, each of those alike. */
function flowWhereShort(node: unknown, value: unknown): void {
  if (!isMap(node) && !isSeq(node)) return;
  const text = JSON.stringify(value);
  if (text.length <= ONE_LINE && !text.includes('\\n')) {
    node.flow = true;
    return;
  }
  if (isSeq(node) && Array.isArray(value)) node.items.forEach((item, i) => flowWhereShort(item, value[i]));
  if (isMap(node) && value && typeof value === 'object') {
    for (const pair of node.items)
      flowWhereShort(pair.value, (value as Record<string, unknown>)[String(isScalar(pair.key) ? pair.key.value : pair.key)]);
  }
}

/** `header` lines become `# ` comment lines above the scenario. */
export function caseYaml(spec: ScenarioSpec, header: readonly string[]): string {
  const doc = new Document(spec);
  // A comment line cannot hold a line break: each becomes a line of its own.
  const lines = header.flatMap((h) => h.split('\n'));
  if (lines.length) doc.commentBefore = lines.map((l) => (l ? ` ${l}` : '')).join('\n');
  const top = doc.contents;
  if (isMap(top)) {
    for (const pair of top.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = (spec as unknown as Record<string, unknown>)[key];
      // Steps one by one: a scenario reads as a list of them, one a line where it fits.
      if (key === 'steps' && isSeq(pair.value)) pair.value.items.forEach((item, i) => flowWhereShort(item, spec.steps[i]));
      else flowWhereShort(pair.value, value);
    }
  }
  // lineWidth 0: SQL is never folded onto the next line, so a line of the file is a line of the case.
  return doc.toString({ lineWidth: 0 });
}
