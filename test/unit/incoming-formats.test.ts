import { expect } from 'chai';
import { IncomingFormats } from '../../harness/wire/incoming-formats.ts';
import type { FrontendMessage, ServerMessage } from '../../harness/wire/messages.ts';

const of = (...types: Array<ServerMessage['type']>) => types.map((type) => ({ type }) as ServerMessage);

/** The formats after sending `sent` and receiving `received`. */
function after(sent: readonly FrontendMessage[], received: readonly ServerMessage[]): IncomingFormats {
  const f = new IncomingFormats();
  for (const m of sent) f.sent(m);
  for (const m of received) f.received(m);
  return f;
}

describe('incoming formats (which values arriving are binary)', () => {
  const binaryBind: FrontendMessage = { type: 'Bind', statement: 's', params: [{ hex: '0000000000000005' }], resultFormats: ['binary'] };

  it('reads the rows of an Execute in the result formats its portal was bound with, until the command ends', () => {
    const sent: FrontendMessage[] = [{ type: 'Parse', name: 's', sql: 'SELECT $1::int8, 1' }, binaryBind, { type: 'Execute' }, { type: 'Sync' }];
    const f = after(sent, of('ParseComplete', 'BindComplete'));
    expect([f.column(0), f.column(1)]).to.deep.equal(['binary', 'binary']);
    f.received({ type: 'CommandComplete', tag: 'SELECT 1' });
    expect(f.column(0)).to.equal('text');
    const perColumn = after([{ type: 'Bind', resultFormats: ['text', 'binary'] }, { type: 'Execute' }], []);
    expect([perColumn.column(0), perColumn.column(1), perColumn.column(2)]).to.deep.equal(['text', 'binary', 'text']);
  });

  it("takes RowDescription of a portal as it says, but not a statement's (its format codes are zero before Bind)", () => {
    const sent: FrontendMessage[] = [
      { type: 'Parse', name: 's', sql: 'x' },
      { type: 'Describe', kind: 'S', name: 's' },
      binaryBind,
      { type: 'Execute' },
      { type: 'Sync' },
    ];
    const f = after(sent, [...of('ParseComplete', 'ParameterDescription'), { type: 'RowDescription', columns: ['int8'] }, ...of('BindComplete')]);
    expect(f.column(0)).to.equal('binary');
    // A simple Query's rows (a FETCH from a BINARY cursor) are as its RowDescription says.
    const q = after([{ type: 'Query', sql: 'FETCH 1 FROM c' }], [{ type: 'RowDescription', columns: ['i'], formats: ['binary'] }]);
    expect(q.column(0)).to.equal('binary');
  });

  it('forgets Executes skipped after an error, up to the Sync', () => {
    const sent: FrontendMessage[] = [binaryBind, { type: 'Execute' }, { type: 'Sync' }, { type: 'Bind' }, { type: 'Execute' }, { type: 'Sync' }];
    const f = after(sent, [
      { type: 'ErrorResponse', severity: 'ERROR', code: '26000', message: 'x' },
      { type: 'ReadyForQuery', status: 'I' },
      ...of('BindComplete'),
    ]);
    expect(f.column(0)).to.equal('text');
  });

  it("reads a FunctionCall's result and a binary COPY's data as asked", () => {
    const f = after([{ type: 'FunctionCall', function: 957, resultFormat: 'binary' }], []);
    expect(f.functionResult()).to.equal('binary');
    f.received({ type: 'FunctionCallResponse', value: { hex: '00' } });
    f.received({ type: 'ReadyForQuery', status: 'T' });
    expect(f.functionResult()).to.equal('text');
    const c = after([{ type: 'Query', sql: 'COPY t TO STDOUT (FORMAT binary)' }], [{ type: 'CopyOutResponse', binary: true }]);
    expect(c.copyData()).to.equal('binary');
    c.received({ type: 'CopyDone' });
    expect(c.copyData()).to.equal('text');
  });
});
