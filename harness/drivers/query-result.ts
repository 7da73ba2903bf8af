import type { Value } from '../wire/bytes.ts';
import type { ServerMessage } from '../wire/messages.ts';
import type { QueryResult } from './session.ts';

/**
 * Folds the replies to one request into a result: the last result set, or the first error. A
 * FunctionCall's result is a row of one value, so it can be expected and saved as any other.
 * COPY TO STDOUT's result set is its CopyData, a row of one value each (text, or bytes in a
 * binary COPY): the data is what the client asked for, as a SELECT's rows are.
 */
export function toResult(messages: readonly ServerMessage[]): QueryResult {
  let rows: Value[][] = [];
  let columns: string[] = [];
  let command: string | undefined;
  const tags: string[] = [];
  for (const m of messages) {
    if (m.type === 'RowDescription') {
      columns = [...m.columns];
      rows = [];
    }
    if (m.type === 'CopyOutResponse') {
      columns = [];
      rows = [];
    }
    if (m.type === 'CopyData') rows.push([m.data]);
    if (m.type === 'DataRow') rows.push([...m.values]);
    if (m.type === 'FunctionCallResponse') rows = [[m.value]];
    if (m.type === 'CommandComplete') {
      command = m.tag;
      tags.push(m.tag);
    }
    if (m.type === 'ErrorResponse')
      return { rows, columns, command, tags, error: { code: String(m.code), message: m.message, ...(m.severity ? { severity: m.severity } : {}) } };
  }
  return { rows, columns, command, tags };
}
