import { expect } from 'chai';
import { ConnectionLostError, DeadlineError, LIBPQ_PROTOCOL_VIOLATION, ProtocolViolationError } from '../../harness/kernel/errors.ts';
import { asMismatch } from '../../harness/scenario/outcome.ts';

describe('a failure at a step, as behaviour of the pooler', () => {
  it('is a divergence of messages when the driver read bytes that break the protocol', () => {
    const m = asMismatch(new ProtocolViolationError('a: libpq connect: message contents do not agree with length in message type "S"'));
    expect(m?.kind).to.equal('messages');
    expect(m?.message).to.contain('message type "S"');
  });

  it('keeps a lost connection closed (with its SQLSTATE), a missed deadline unanswered, and anything else no divergence', () => {
    expect(asMismatch(new ConnectionLostError('a: server closed the connection unexpectedly', '57P01'))).to.include({
      kind: 'closed',
      sqlstate: '57P01',
    });
    expect(asMismatch(new DeadlineError('timed out after 5000ms waiting for a reply'))?.kind).to.equal('no-answer');
    expect(asMismatch(new Error('psycopg: no such function'))).to.equal(undefined);
  });

  it("tells libpq's words for a broken message from its words for a closed connection", () => {
    for (const words of [
      'message contents do not agree with length in message type "S"',
      'lost synchronization with server: got message type "Z", length 5',
      'unexpected response from server; first received character was "X"',
      'insufficient data in "D" message',
      'message type 0x33 arrived from server while idle',
    ])
      expect(LIBPQ_PROTOCOL_VIOLATION.test(words), words).to.equal(true);
    expect(LIBPQ_PROTOCOL_VIOLATION.test('server closed the connection unexpectedly')).to.equal(false);
  });
});
