// The codec against bytes written out by hand from the protocol's message formats
// (https://www.postgresql.org/docs/current/protocol-message-formats.html), as pg-protocol tests
// its own: every frame here is spelt as type byte, length word, fields.
import { expect } from 'chai';
import { serialize } from 'pg-protocol';
import { BackendDecoder, FramingError, type Decoded, type Formats } from '../../harness/wire/backend-codec.ts';
import { cancelRequest, encode, startupMessage } from '../../harness/wire/frontend-codec.ts';
import { renderBackend, renderFrontend, type ServerMessage } from '../../harness/wire/messages.ts';

/** Hex with spaces and comments ("# ...") for reading, to bytes. */
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex');
const text = (s: string) => Buffer.from(s).toString('hex');

const allText: Formats = { column: () => 'text', copyData: () => 'text', functionResult: () => 'text' };

/** Decodes `bytes` fed in the given pieces (offsets), returning the messages. */
function decode(bytes: Buffer, cuts: readonly number[] = [], formats: Formats = allText): ServerMessage[] {
  const d = new BackendDecoder(formats);
  const out: Decoded[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    d.push(bytes.subarray(from, to), (m) => out.push(m));
    from = to;
  }
  expect(d.partial).to.equal(undefined);
  return out.map((m) => m.message);
}

describe('frontend codec (bytes a scenario sends)', () => {
  it('writes a Bind without format options exactly as pg-protocol does (one code per parameter, one result code)', () => {
    for (const params of [[], ['1'], ['41', null, 'x']]) {
      expect(
        encode({ type: 'Bind', statement: 's1', portal: 'p', params }).equals(serialize.bind({ statement: 's1', portal: 'p', values: params })),
      ).to.equal(true);
    }
  });

  it('writes a Parse as pg-protocol does, and a statement name longer than 63 characters without a warning', () => {
    for (const m of [
      { name: '', sql: 'SELECT 1' },
      { name: 's1', sql: 'SELECT $1', types: [23] },
    ]) {
      expect(encode({ type: 'Parse', ...m }).equals(serialize.parse({ name: m.name, text: m.sql, types: m.types ?? [] }))).to.equal(true);
    }
    const original = console.error;
    const warned: unknown[] = [];
    console.error = (...args: unknown[]) => {
      warned.push(args);
    };
    try {
      const long = 'n'.repeat(9000);
      const bytes = encode({ type: 'Parse', name: long, sql: 'SELECT 1' });
      expect(bytes.length).to.equal(1 + 4 + long.length + 1 + 'SELECT 1'.length + 1 + 2);
      expect(bytes.readInt32BE(1)).to.equal(bytes.length - 1);
    } finally {
      console.error = original;
    }
    expect(warned).to.deep.equal([]);
  });

  it('writes Bind format codes as given, binary parameters as bytes', () => {
    const bytes = encode({
      type: 'Bind',
      statement: 's1',
      params: [{ hex: '0000000000000005' }, null],
      paramFormats: ['binary'],
      resultFormats: ['binary', 'text'],
    });
    expect(bytes.toString('hex')).to.equal(
      hex(`
      42 00000024        # B, length 36
      00 ${text('s1')}00 # portal "", statement "s1"
      0001 0001          # one parameter format code: binary, for all
      0002               # two parameters
      00000008 0000000000000005
      ffffffff           # NULL
      0002 0001 0000     # result formats: binary, text
    `).toString('hex'),
    );
    // Bytes without formats get their own binary code, as pg-protocol does for a Buffer.
    expect(encode({ type: 'Bind', params: ['1', { hex: '00 05' }] }).equals(serialize.bind({ values: ['1', Buffer.from([0, 5])] }))).to.equal(true);
  });

  it('writes a FunctionCall: oid, argument formats, arguments (NULL as -1), result format', () => {
    const bytes = encode({ type: 'FunctionCall', function: 957, args: ['-1', null, { hex: 'ffffffff' }], resultFormat: 'binary' });
    expect(bytes.toString('hex')).to.equal(
      hex(`
      46 00000026          # F, length 38
      000003bd             # oid 957 (lo_creat)
      0003 0000 0000 0001  # a format per argument: text, text, binary
      0003                 # three arguments
      00000002 ${text('-1')}
      ffffffff
      00000004 ffffffff
      0001                 # result: binary
    `).toString('hex'),
    );
    expect(() => encode({ type: 'FunctionCall', function: 'lo_creat(integer)' })).to.throw(/not resolved/);
    expect(encode({ type: 'FunctionCall', function: '957' }).subarray(5, 9).readInt32BE()).to.equal(957);
  });

  it('writes raw messages and bytes as told, a wrong length included', () => {
    expect(encode({ type: 'RawMessage', code: 'y' }).toString('hex')).to.equal(hex('79 00000004').toString('hex'));
    expect(encode({ type: 'RawMessage', code: 'Q', payload: 'SELECT 1\0', length: 3 }).toString('hex')).to.equal(
      hex(`51 00000003 ${text('SELECT 1')}00`).toString('hex'),
    );
    expect(encode({ type: 'RawMessage', code: 'd', payload: { hex: '0102' } }).toString('hex')).to.equal('64000000060102');
    expect(encode({ type: 'RawBytes', hex: '53 00 00 00 04' }).toString('hex')).to.equal('5300000004');
    expect(encode({ type: 'CopyData', data: { hex: '50474350' } }).toString('hex')).to.equal('640000000850474350');
  });

  it('writes a 3.0 StartupMessage as pg-protocol does, and another version with _pq_ options when asked', () => {
    const params = { user: 'app', database: 'db', application_name: 'x' };
    expect(startupMessage(params).equals(serialize.startup(params))).to.equal(true);
    expect(startupMessage({ user: 'u', '_pq_.test': 'on' }, 196610).toString('hex')).to.equal(
      hex(`
      00000032 00030002                  # length 50, version 3.2
      ${text('user')}00 ${text('u')}00
      ${text('_pq_.test')}00 ${text('on')}00
      ${text('client_encoding')}00 ${text('UTF8')}00
      00
    `).toString('hex'),
    );
  });

  it('writes a CancelRequest with the key as long as BackendKeyData gave it', () => {
    expect(cancelRequest(4242, Buffer.from([0, 0, 0, 99])).equals(serialize.cancel(4242, 99))).to.equal(true);
    const key = Buffer.alloc(32, 0xab);
    expect(cancelRequest(4242, key).toString('hex')).to.equal(hex(`0000002c 04d2162e 00001092 ${key.toString('hex')}`).toString('hex'));
  });

  it("renders the new messages in transcripts without secrets, binary values as x'..'", () => {
    expect(renderFrontend({ type: 'Bind', params: [{ hex: '0005' }], resultFormats: ['binary'] })).to.equal(
      'Bind(portal="", stmt="", params=[x\'0005\'], resultFormats=[binary])',
    );
    expect(renderFrontend({ type: 'FunctionCall', function: 957, args: ['-1'] })).to.equal('FunctionCall(function=957, args=["-1"], result=text)');
    expect(renderFrontend({ type: 'RawMessage', code: 'Q', length: 3 })).to.equal('RawMessage(code="Q", length=3, payload="")');
    expect(renderBackend({ type: 'BackendKeyData', pid: 7, key: { hex: '01020304' } })).to.equal('BackendKeyData(pid=7, key=<secret>)');
    expect(renderBackend({ type: 'BackendKeyData', pid: 7, key: { hex: 'ab'.repeat(32) } })).to.equal(
      'BackendKeyData(pid=7, key=<secret of 32 bytes>)',
    );
    expect(renderBackend({ type: 'DataRow', values: ['1', null, { hex: '0000000000000005' }] })).to.equal(
      'DataRow(["1",null,x\'0000000000000005\'])',
    );
    expect(renderBackend({ type: 'NegotiateProtocolVersion', version: 196608, options: ['_pq_.test'] })).to.equal(
      'NegotiateProtocolVersion(version=3.0, options=["_pq_.test"])',
    );
  });
});

describe('backend codec (bytes a server sends)', () => {
  it('reads NegotiateProtocolVersion, FunctionCallResponse and a 32-byte BackendKeyData, which pg-protocol cannot', () => {
    const key = 'cd'.repeat(32);
    const bytes = hex(`
      76 00000013 00030000 00000001 ${text('_pq_.x')}00
      4b 00000028 00001092 ${key}
      56 0000000c 00000004 ${text('4242')}
      56 00000008 ffffffff
    `);
    expect(decode(bytes)).to.deep.equal([
      { type: 'NegotiateProtocolVersion', version: 196608, options: ['_pq_.x'] },
      { type: 'BackendKeyData', pid: 4242, key: { hex: key } },
      { type: 'FunctionCallResponse', value: '4242' },
      { type: 'FunctionCallResponse', value: null },
    ]);
  });

  it('reads a stream cut anywhere (a type byte alone, inside a length word, inside a value) the same as whole', () => {
    const bytes = hex(`
      54 0000001d 0001 ${text('int8')}00 00000000 0000 00000014 0008 ffffffff 0000  # RowDescription(int8), text
      44 0000000b 0001 00000001 ${text('5')}                                          # DataRow("5")
      43 0000000d ${text('SELECT 1')}00                                             # CommandComplete
      5a 00000005 49                                                                 # ReadyForQuery(I)
    `);
    const whole = decode(bytes);
    expect(whole).to.deep.equal([
      { type: 'RowDescription', columns: ['int8'] },
      { type: 'DataRow', values: ['5'] },
      { type: 'CommandComplete', tag: 'SELECT 1' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    for (const cuts of [[1], [3], [1, 2, 3, 4, 5, 6], [29, 30, 33, 38], Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)]) {
      expect(decode(bytes, cuts)).to.deep.equal(whole);
    }
  });

  it('reads binary columns as bytes and binary COPY data as bytes, as the formats say', () => {
    const binaryColumn0: Formats = { column: (i) => (i === 0 ? 'binary' : 'text'), copyData: () => 'binary', functionResult: () => 'binary' };
    const bytes = hex(`
      44 00000017 0002 00000008 0000000000000005 00000001 ${text('x')}
      64 00000008 ${text('PGCO')}
      56 0000000c 00000004 000003e8
    `);
    expect(decode(bytes, [], binaryColumn0)).to.deep.equal([
      { type: 'DataRow', values: [{ hex: '0000000000000005' }, 'x'] },
      { type: 'CopyData', data: { hex: '5047434f' } },
      { type: 'FunctionCallResponse', value: { hex: '000003e8' } },
    ]);
  });

  it('says which message a stream stops in the middle of, and refuses a length word under 4', () => {
    const d = new BackendDecoder(allText);
    const got: Decoded[] = [];
    d.push(hex('5a 00000005 49 44 0000000b 0001'), (m) => got.push(m));
    expect(got.map((m) => m.message.type)).to.deep.equal(['ReadyForQuery']);
    expect(d.partial).to.equal('6 of 11 bytes of a message "D"');
    expect(() => new BackendDecoder(allText).push(hex('5a 00000002 49'), () => undefined)).to.throw(FramingError, /length 2/);
    expect(() => new BackendDecoder(allText).push(hex('56 00000008 00000009'), () => undefined)).to.throw(FramingError, /ends before its fields/);
  });

  it('keeps what pg-protocol reads for the rest, an unknown type byte as an ErrorResponse without SQLSTATE', () => {
    expect(decode(hex('7a 00000004'))).to.deep.equal([
      { type: 'ErrorResponse', severity: null, code: null, message: 'received invalid response: 7a' },
    ]);
    expect(decode(hex('47 00000007 01 0000'))).to.deep.equal([{ type: 'CopyInResponse', binary: true }]);
  });
});
