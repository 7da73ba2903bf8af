import { expect } from 'chai';
import { toResult } from '../../harness/drivers/query-result.ts';
import type { ServerMessage } from '../../harness/wire/messages.ts';

const of = (...types: Array<ServerMessage['type']>) => types.map((type) => ({ type }) as ServerMessage);

describe('a reply folded into a result', () => {
  it("takes COPY TO STDOUT's CopyData as its rows, one value each, text or bytes", () => {
    const text = toResult([
      { type: 'CopyOutResponse' },
      { type: 'CopyData', data: '1\n' },
      { type: 'CopyData', data: '2\n' },
      ...of('CopyDone'),
      { type: 'CommandComplete', tag: 'COPY 2' },
    ]);
    expect(text.rows).to.deep.equal([['1\n'], ['2\n']]);
    expect(text.tags).to.deep.equal(['COPY 2']);
    const binary = toResult([{ type: 'CopyOutResponse', binary: true }, { type: 'CopyData', data: { hex: 'ffff' } }, ...of('CopyDone')]);
    expect(binary.rows).to.deep.equal([[{ hex: 'ffff' }]]);
  });

  it("keeps the last result set of a batch: a COPY's data replaces the rows of a SELECT before it", () => {
    const r = toResult([
      { type: 'RowDescription', columns: ['n'] },
      { type: 'DataRow', values: ['7'] },
      { type: 'CommandComplete', tag: 'SELECT 1' },
      { type: 'CopyOutResponse' },
      { type: 'CopyData', data: '8\n' },
      ...of('CopyDone'),
      { type: 'CommandComplete', tag: 'COPY 1' },
    ]);
    expect(r.rows).to.deep.equal([['8\n']]);
    expect(r.columns).to.deep.equal([]);
  });
});
