// YAML read for checking: each document with a way to find where a path of it was written, so
// a problem is reported as file:line:col.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Path, Problem } from './schema.ts';

export interface YamlDocument {
  /** The document as plain data (null for an empty one). */
  readonly data: unknown;
  /** file:line:col of the value at `path` (of its key, with `atKey`), or of the nearest enclosing one. */
  where(path: Path, atKey?: boolean): string;
}

export class YamlSyntaxError extends Error {}

/** Every document of a YAML text; a syntax error is thrown as `file:line:col: message`. */
export function parseYaml(text: string, source: string): YamlDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc) => {
    const err = doc.errors[0];
    if (err) {
      const { line, col } = lines.linePos(err.pos[0]);
      throw new YamlSyntaxError(`${source}:${line}:${col}: ${err.message.split('\n')[0]}`);
    }
    return {
      data: doc.toJS() as unknown,
      where(path, atKey) {
        const offset = offsetOf(doc, path, atKey) ?? doc.range[0];
        const { line, col } = lines.linePos(offset);
        return `${source}:${line}:${col}`;
      },
    };
  });
}

/** The start offset of the node at `path`, or of the deepest node on the way that exists. */
function offsetOf(doc: Document, path: Path, atKey?: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
      if (!pair) return offset;
      if (last && atKey && isScalar(pair.key)) return pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else {
      return offset;
    }
    offset = (node as Node | null)?.range?.[0] ?? offset;
  }
  return offset;
}

/** Problems as one line each: "file:line:col: message (at path)"; `label` goes before the message ("warning: "). */
export function problemLines(doc: YamlDocument, problems: readonly Problem[], label = ''): string[] {
  return problems.map((p) => `${doc.where(p.path, p.atKey)}: ${label}${p.message}${p.path.length ? ` (at ${p.path.join('.')})` : ''}`);
}
