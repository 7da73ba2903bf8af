import { expect } from 'chai';
import type { FrontendMessage, ServerMessage } from '../../harness/wire/messages.ts';
import { replyEnd } from '../../harness/wire/reply-accounting.ts';

const rfq = (status: 'I' | 'T' | 'E' = 'I'): ServerMessage => ({ type: 'ReadyForQuery', status });
const error: ServerMessage = { type: 'ErrorResponse', code: '42601', message: 'syntax', severity: 'ERROR' };
const of = (...types: Array<ServerMessage['type']>) => types.map((type) => ({ type }) as ServerMessage);
const extended: FrontendMessage[] = [{ type: 'Parse', sql: 'x' }, { type: 'Bind' }, { type: 'Execute' }];

describe('reply accounting (where PostgreSQL\'s reply to a message list ends)', () => {
  it('ends a simple Query and a Sync at their ReadyForQuery, passing over errors and asynchronous messages', () => {
    const inbox = [...of('RowDescription', 'DataRow', 'CommandComplete'), rfq(), { type: 'ParameterStatus', name: 'TimeZone', value: 'UTC' } as const, error, rfq()];
    expect(replyEnd([{ type: 'Query', sql: 'a' }, { type: 'Query', sql: 'b' }], inbox)).to.equal(6);
    expect(replyEnd([{ type: 'Query', sql: 'a' }, { type: 'Query', sql: 'b' }], inbox.slice(0, 5))).to.equal(-1);
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

  it('waits for each extended message\'s own reply, and a portal suspended by maxRows ends its Execute', () => {
    const sent: FrontendMessage[] = [{ type: 'Parse', sql: 'x' }, { type: 'Describe', kind: 'S' }, { type: 'Bind' }, { type: 'Execute', maxRows: 1 }, { type: 'Sync' }];
    expect(replyEnd(sent, [...of('ParseComplete', 'ParameterDescription', 'RowDescription', 'BindComplete', 'DataRow', 'PortalSuspended'), rfq('T')])).to.equal(6);
  });

  it('reads an extended COPY FROM STDIN up to CommandComplete after the client\'s CopyDone', () => {
    const sent: FrontendMessage[] = [...extended, { type: 'CopyData', data: '1\n' }, { type: 'CopyDone' }, { type: 'Sync' }];
    expect(replyEnd(sent, [...of('ParseComplete', 'BindComplete', 'CopyInResponse', 'CommandComplete'), rfq()])).to.equal(4);
  });
});
