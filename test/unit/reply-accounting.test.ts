import { expect } from 'chai';
import type { FrontendMessage, ServerMessage } from '../../harness/wire/messages.ts';
import { replyEnd } from '../../harness/wire/reply-accounting.ts';

const rfq = (status: 'I' | 'T' | 'E' = 'I'): ServerMessage => ({ type: 'ReadyForQuery', status });
const error: ServerMessage = { type: 'ErrorResponse', code: '42601', message: 'syntax', severity: 'ERROR' };
const of = (...types: Array<ServerMessage['type']>) => types.map((type) => ({ type }) as ServerMessage);
const extended: FrontendMessage[] = [{ type: 'Parse', sql: 'x' }, { type: 'Bind' }, { type: 'Execute' }];

describe("reply accounting (where PostgreSQL's reply to a message list ends)", () => {
  it('ends a simple Query and a Sync at their ReadyForQuery, passing over errors and asynchronous messages', () => {
    const inbox = [
      ...of('RowDescription', 'DataRow', 'CommandComplete'),
      rfq(),
      { type: 'ParameterStatus', name: 'TimeZone', value: 'UTC' } as const,
      error,
      rfq(),
    ];
    expect(
      replyEnd(
        [
          { type: 'Query', sql: 'a' },
          { type: 'Query', sql: 'b' },
        ],
        inbox,
      ),
    ).to.equal(6);
    expect(
      replyEnd(
        [
          { type: 'Query', sql: 'a' },
          { type: 'Query', sql: 'b' },
        ],
        inbox.slice(0, 5),
      ),
    ).to.equal(-1);
  });

  it('gives a Query discarded after an extended-protocol error no ReadyForQuery of its own', () => {
    const sent: FrontendMessage[] = [...extended, { type: 'Query', sql: 'INSERT' }, { type: 'Sync' }];
    expect(replyEnd(sent, [error, rfq()])).to.equal(1);
    expect(replyEnd(sent, [error])).to.equal(-1);
    // Without the error the Query runs and both ReadyForQuery are owed.
    const ok = [...of('ParseComplete', 'BindComplete', 'CommandComplete', 'CommandComplete'), rfq('T')];
    expect(replyEnd(sent, ok)).to.equal(-1);
    expect(replyEnd(sent, [...ok, rfq()])).to.equal(5);
  });

  it("waits for each extended message's own reply, and a portal suspended by maxRows ends its Execute", () => {
    const sent: FrontendMessage[] = [
      { type: 'Parse', sql: 'x' },
      { type: 'Describe', kind: 'S' },
      { type: 'Bind' },
      { type: 'Execute', maxRows: 1 },
      { type: 'Sync' },
    ];
    expect(
      replyEnd(sent, [...of('ParseComplete', 'ParameterDescription', 'RowDescription', 'BindComplete', 'DataRow', 'PortalSuspended'), rfq('T')]),
    ).to.equal(6);
  });

  it("reads an extended COPY FROM STDIN up to CommandComplete after the client's CopyDone", () => {
    const sent: FrontendMessage[] = [...extended, { type: 'CopyData', data: '1\n' }, { type: 'CopyDone' }, { type: 'Sync' }];
    expect(replyEnd(sent, [...of('ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete'), rfq()])).to.equal(4);
  });
});

describe('reply accounting of COPY sent ahead and of FunctionCall', () => {
  const copy: FrontendMessage = { type: 'Query', sql: 'COPY t FROM STDIN' };

  it("takes CopyData and CopyDone sent before the CopyInResponse as the COPY's (pgx sends them in one write)", () => {
    const sent: FrontendMessage[] = [copy, { type: 'CopyData', data: '1\n' }, { type: 'CopyDone' }];
    expect(replyEnd(sent, [...of('CopyInResponse', 'CommandComplete'), rfq()])).to.equal(2);
    expect(replyEnd(sent, of('CopyInResponse'))).to.equal(-1);
    expect(replyEnd(sent, of('CopyInResponse', 'CommandComplete'))).to.equal(-1);
    // A COPY alone: PostgreSQL's reply stops at CopyInResponse, waiting for the data.
    expect(replyEnd([copy], of('CopyInResponse'))).to.equal(0);
  });

  it('ignores Sync and Flush sent in copy-in mode: one ReadyForQuery for an extended COPY and its three Syncs', () => {
    const sent: FrontendMessage[] = [
      ...extended,
      { type: 'Sync' },
      { type: 'CopyData', data: '1\n' },
      { type: 'Flush' },
      { type: 'Sync' },
      { type: 'CopyDone' },
      { type: 'Sync' },
    ];
    expect(replyEnd(sent, [...of('ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete'), rfq()])).to.equal(4);
    expect(replyEnd(sent, of('ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete'))).to.equal(-1);
  });

  it('ends a simple COPY that the client fails at its ReadyForQuery, past the error', () => {
    const sent: FrontendMessage[] = [copy, { type: 'CopyData', data: '1\n' }, { type: 'CopyFail', message: 'no' }];
    expect(replyEnd(sent, [...of('CopyInResponse'), { ...error, code: '57014' }, rfq()])).to.equal(2);
  });

  it('ends a FunctionCall at its ReadyForQuery, and skips one sent after an extended-protocol error', () => {
    const call: FrontendMessage = { type: 'FunctionCall', function: 957, args: ['-1'] };
    expect(replyEnd([call], [...of('FunctionCallResponse'), rfq('T')])).to.equal(1);
    expect(replyEnd([call], [error, rfq('E')])).to.equal(1);
    expect(replyEnd([{ type: 'Parse', sql: 'x' }, call, { type: 'Sync' }], [error, rfq()])).to.equal(1);
  });
});
